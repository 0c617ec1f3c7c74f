#!/bin/sh
# Reloads nginx gracefully when what it loaded has changed:
#  - the served certificate (certbot's deploy hook copies a new one into /etc/letsencrypt/active/);
#  - the addresses the connector service resolves to (`docker compose up --scale connector=N`,
#    or a replica recreated with a new IP): nginx 1.22 resolves upstream names only on (re)load.
# A reload starts new workers with the new configuration while the old ones finish their requests,
# open SSE streams included: no connection is dropped.
#
# nginx refuses to start when an upstream name does not resolve (no connector running yet, e.g.
# while it waits for its database). So before nginx starts, and on every change, upstream servers
# whose name does not resolve are pointed at a closed local port: nginx starts, serves ACME and
# answers 502 until the connector appears, then this loop restores the name and reloads.
#
# Run by the nginx image's entrypoint before nginx starts (it backgrounds itself). Settings:
#   NGINX_WATCH_INTERVAL  seconds between checks (default 30)
#   NGINX_WATCH_CERT      certificate file to watch (default /etc/letsencrypt/active/fullchain.pem)
#   NGINX_WATCH_HOSTS     service names whose addresses to watch (default "connector"; "" = none)
#   NGINX_WATCH_CONF      rendered configuration holding their upstreams (default
#                         /etc/nginx/conf.d/default.conf)
#   NGINX_ARGS            extra nginx arguments (-p/-c of a non-default instance; tests)
#   NGINX_WATCH_FOREGROUND=1  run the loop in the foreground (tests)
set -eu

interval=${NGINX_WATCH_INTERVAL:-30}
cert=${NGINX_WATCH_CERT:-/etc/letsencrypt/active/fullchain.pem}
hosts=${NGINX_WATCH_HOSTS-connector}
conf=${NGINX_WATCH_CONF:-/etc/nginx/conf.d/default.conf}
nginx_args=${NGINX_ARGS:-}

addresses() { getent ahosts "$1" 2>/dev/null | awk '{ print $1 }' | sort -u | tr '\n' ' '; }

state() {
  cksum "$cert" 2>/dev/null || echo "no certificate"
  for host in $hosts; do echo "$host: $(addresses "$host")"; done
}

# Writes $conf from the pristine rendering ($conf.pristine) with unresolvable upstream names
# replaced by 127.0.0.1:1 (connection refused → nginx's 502 page).
apply_upstreams() {
  [ -n "$hosts" ] && [ -f "$conf.pristine" ] || return 0
  cp "$conf.pristine" "$conf.next"
  for host in $hosts; do
    if [ -z "$(addresses "$host")" ]; then
      sed -i "s/server $host:[0-9][0-9]*;/server 127.0.0.1:1; # $host does not resolve yet/" "$conf.next"
      echo "$0: $host does not resolve yet: nginx answers 502 until it does"
    fi
  done
  mv -f "$conf.next" "$conf"
}

watch() {
  last=$(state)
  while sleep "$interval"; do
    now=$(state)
    [ "$now" = "$last" ] && continue
    apply_upstreams
    # shellcheck disable=SC2086 # the arguments split on purpose
    if nginx $nginx_args -t -q 2>/dev/null && nginx $nginx_args -s reload; then
      echo "$0: reloaded nginx: $(echo "$now" | tr '\n' ';')"
      last=$now
    else
      echo "$0: not reloading: nginx -t fails on the changed certificate or configuration" >&2
    fi
  done
}

# The image's envsubst step has just rendered $conf afresh: keep that as the pristine copy.
if [ -n "$hosts" ] && [ -w "$conf" ]; then
  cp "$conf" "$conf.pristine"
fi
apply_upstreams

if [ "${NGINX_WATCH_FOREGROUND:-0}" = 1 ]; then
  watch
else
  watch </dev/null &
fi
