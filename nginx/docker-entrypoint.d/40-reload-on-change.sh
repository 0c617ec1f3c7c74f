#!/bin/sh
# Reloads nginx gracefully when what it loaded at start has changed:
#  - the served certificate (certbot's deploy hook copies a new one into /etc/letsencrypt/active/);
#  - the addresses the connector service resolves to (`docker compose up --scale connector=N`,
#    or a replica recreated with a new IP): nginx 1.22 resolves upstream names only on (re)load.
# A reload starts new workers with the new configuration while the old ones finish their requests,
# open SSE streams included: no connection is dropped.
#
# Run by the nginx image's entrypoint before nginx starts (it backgrounds itself). Settings:
#   NGINX_WATCH_INTERVAL  seconds between checks (default 30)
#   NGINX_WATCH_CERT      certificate file to watch (default /etc/letsencrypt/active/fullchain.pem)
#   NGINX_WATCH_HOSTS     service names whose addresses to watch (default "connector"; "" = none)
#   NGINX_ARGS            extra nginx arguments (-p/-c of a non-default instance; tests)
#   NGINX_WATCH_FOREGROUND=1  run the loop in the foreground (tests)
set -eu

interval=${NGINX_WATCH_INTERVAL:-30}
cert=${NGINX_WATCH_CERT:-/etc/letsencrypt/active/fullchain.pem}
hosts=${NGINX_WATCH_HOSTS-connector}
nginx_args=${NGINX_ARGS:-}

state() {
  cksum "$cert" 2>/dev/null || echo "no certificate"
  for host in $hosts; do
    echo "$host: $(getent ahosts "$host" 2>/dev/null | awk '{ print $1 }' | sort -u | tr '\n' ' ')"
  done
}

watch() {
  last=$(state)
  while sleep "$interval"; do
    now=$(state)
    [ "$now" = "$last" ] && continue
    # shellcheck disable=SC2086 # the arguments split on purpose
    if nginx $nginx_args -t -q 2>/dev/null && nginx $nginx_args -s reload; then
      echo "$0: reloaded nginx: $(echo "$now" | tr '\n' ';')"
      last=$now
    else
      echo "$0: not reloading: nginx -t fails on the changed certificate or configuration" >&2
    fi
  done
}

if [ "${NGINX_WATCH_FOREGROUND:-0}" = 1 ]; then
  watch
else
  watch </dev/null &
fi
