#!/bin/sh
# Certificates for nginx, from first start to renewal. Compose runs it as the certbot service's
# entrypoint (the image's own is `certbot`); it works in the official Alpine image (certbot 3.x)
# and Debian's certbot 2.1, using only options both understand.
#
#  1. No certificate yet: a self-signed placeholder in $CERT_ACTIVE_DIR, so nginx can start (it
#     refuses to start on a missing file) and serve the ACME webroot.
#  2. DOMAIN is localhost or an IP address (the demo profile) and no ACME_SERVER is set, or
#     CERTBOT_MODE=selfsigned: keep the self-signed certificate, renewed yearly. Otherwise:
#  3. Wait until nginx serves the webroot, check from outside that http://DOMAIN/ reaches it, then
#     `certbot certonly --webroot`; deploy-hook.sh copies the certificate into $CERT_ACTIVE_DIR and
#     nginx's watcher reloads nginx (graceful, no dropped connections). Failures name the likely
#     cause and are retried with a growing delay (Let's Encrypt allows 5 failures/hour/domain).
#  4. `certbot renew` twice a day; the deploy hook runs after every renewal. `entrypoint.sh renew`
#     runs one pass by hand.
#
# Environment: DOMAIN (required), LETSENCRYPT_EMAIL, LETSENCRYPT_STAGING=1, ACME_SERVER (a directory
# URL; overrides staging), CERTBOT_MODE (auto|acme|selfsigned), RENEW_INTERVAL (s, default 43200),
# RETRY_INTERVAL (s, first retry delay, default 300), ACME_WEBROOT (/var/www/acme),
# CERTBOT_CONFIG_DIR (/etc/letsencrypt), CERT_ACTIVE_DIR ($CERTBOT_CONFIG_DIR/active),
# ACME_HTTP_PORT (80), NGINX_LOCAL_URL (http://nginx), CERTBOT_EXTRA_ARGS, CERTBOT_ONCE=1 (exit
# after the first issuance attempt: tests).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
: "${DOMAIN:?DOMAIN must name the public host, e.g. data.example.com}"
mode=${CERTBOT_MODE:-auto}
webroot=${ACME_WEBROOT:-/var/www/acme}
config_dir=${CERTBOT_CONFIG_DIR:-/etc/letsencrypt}
active=${CERT_ACTIVE_DIR:-$config_dir/active}
renew_interval=${RENEW_INTERVAL:-43200}
retry=${RETRY_INTERVAL:-300}
http_port=${ACME_HTTP_PORT:-80}
local_url=${NGINX_LOCAL_URL:-http://nginx}
export CERT_ACTIVE_DIR="$active"

log() { echo "certbot-entrypoint: $*"; }
python=$(command -v python3 || command -v python)

if [ "$mode" = auto ]; then
  mode=acme
  # No public CA issues for these names; an explicit ACME_SERVER (a private CA, pebble) still can.
  if [ -z "${ACME_SERVER:-}" ]; then
    case "$DOMAIN" in
      localhost | *.localhost | *:*) mode=selfsigned ;;
      *[!0-9.]*) ;;
      *) mode=selfsigned ;;
    esac
  fi
fi

mkdir -p "$active" "$webroot"
if [ ! -s "$active/fullchain.pem" ] || [ ! -s "$active/privkey.pem" ]; then
  "$python" "$here/placeholder.py" "$active" "$DOMAIN"
fi

if [ "$mode" = selfsigned ]; then
  if [ "${1:-}" = renew ]; then
    "$python" "$here/placeholder.py" "$active" "$DOMAIN" --if-expiring-within 30 || true
    exit 0
  fi
  log "$DOMAIN: serving a self-signed certificate (demo/local mode; clients must trust $active/fullchain.pem)"
  [ "${CERTBOT_ONCE:-0}" = 1 ] && exit 0
  while sleep "$renew_interval"; do
    "$python" "$here/placeholder.py" "$active" "$DOMAIN" --if-expiring-within 30 || true
  done
  exit 0
fi

dirs="--config-dir $config_dir --work-dir ${CERTBOT_WORK_DIR:-/var/lib/letsencrypt} --logs-dir ${CERTBOT_LOGS_DIR:-/var/log/letsencrypt}"
if [ -n "${LETSENCRYPT_EMAIL:-}" ]; then account="--email $LETSENCRYPT_EMAIL --no-eff-email"; else account="--register-unsafely-without-email"; fi
server=""
case "${LETSENCRYPT_STAGING:-0}" in 1 | true | yes) server="--staging" ;; esac
[ -n "${ACME_SERVER:-}" ] && server="--server $ACME_SERVER"

explain() { # $1: certbot's output; prints the likely cause in one line
  if grep -qi 'caa' "$1"; then
    echo "a CAA record for $DOMAIN (or a parent domain) does not allow Let's Encrypt: add '$DOMAIN. CAA 0 issue \"letsencrypt.org\"' or remove the CAA records (dig CAA $DOMAIN)"
  elif grep -qiE 'NXDOMAIN|DNS problem|no valid A records|SERVFAIL' "$1"; then
    echo "DNS not pointing here: $DOMAIN has no A/AAAA record the CA can resolve (dig +short $DOMAIN must print this server's public address)"
  elif grep -qiE 'Timeout during connect|Connection refused|connection.*(reset|timed out)|urn:ietf:params:acme:error:connection' "$1"; then
    echo "port 80 closed: the CA could not connect to http://$DOMAIN/ (open 80/tcp in the firewall and cloud security group; check the A record is this server)"
  elif grep -qiE 'Invalid response|unauthorized|404' "$1"; then
    echo "the challenge file was not served: DNS points at another server, or a proxy/CDN (Cloudflare proxied record) answers port 80"
  elif grep -qiE 'too many|rateLimited|rate limit' "$1"; then
    echo "Let's Encrypt rate limit reached: wait (see the time in the message) and use LETSENCRYPT_STAGING=1 while testing"
  elif grep -qiE 'Failed to establish a new connection|Max retries exceeded|CERTIFICATE_VERIFY_FAILED' "$1"; then
    echo "this server cannot reach the ACME server (${ACME_SERVER:-Let's Encrypt}): outbound HTTPS blocked or a proxy"
  else
    echo "unrecognised; see the certbot output above and ${CERTBOT_LOGS_DIR:-/var/log/letsencrypt}/letsencrypt.log"
  fi
}

install_current() { # copies live/$DOMAIN into the served directory when it differs
  live="$config_dir/live/$DOMAIN"
  [ -s "$live/fullchain.pem" ] || return 0
  if ! cmp -s "$live/fullchain.pem" "$active/fullchain.pem"; then
    RENEWED_LINEAGE="$live" sh "$here/deploy-hook.sh"
  fi
}

issue() {
  out=$(mktemp)
  # shellcheck disable=SC2086 # option lists split on purpose
  if certbot certonly --non-interactive --agree-tos $account $server $dirs \
      --webroot -w "$webroot" -d "$DOMAIN" --cert-name "$DOMAIN" --keep-until-expiring \
      --deploy-hook "sh $here/deploy-hook.sh" ${CERTBOT_EXTRA_ARGS:-} >"$out" 2>&1; then
    cat "$out"; rm -f "$out"
    install_current
    log "$DOMAIN: certificate in place"
    return 0
  fi
  cat "$out"
  log "FAILED to obtain a certificate for $DOMAIN: likely cause: $(explain "$out")"
  rm -f "$out"
  return 1
}

renew() { # one renewal pass: certbot renews what is due, the deploy hook installs it, nginx reloads
  # $1 = --no-random-sleep-on-renew for a pass by hand; the loop keeps certbot's random delay
  # (up to 8 minutes), which spreads renewals at the CA as Let's Encrypt asks.
  # shellcheck disable=SC2086
  if certbot renew --non-interactive ${1:-} $dirs --webroot -w "$webroot" --deploy-hook "sh $here/deploy-hook.sh" ${CERTBOT_EXTRA_ARGS:-}; then
    install_current
  else
    log "renewal failed; the current certificate stays in place and the next attempt is in $renew_interval s"
    return 1
  fi
}

# `entrypoint.sh renew`: one renewal pass now (docker compose exec certbot sh /opt/mcp-certbot/entrypoint.sh renew).
if [ "${1:-}" = renew ]; then
  renew --no-random-sleep-on-renew
  exit $?
fi

waited=0
until "$python" "$here/preflight.py" "$webroot" "$DOMAIN" "$http_port" "$local_url"; do
  code=$?
  if [ "$code" = 2 ]; then log "asking the CA anyway; its answer decides"; break; fi
  waited=$((waited + 2))
  [ "$waited" -ge 120 ] && { log "nginx did not serve $webroot within 120 s; asking the CA anyway"; break; }
  sleep 2
done

delay=$retry
until issue; do
  [ "${CERTBOT_ONCE:-0}" = 1 ] && exit 1
  log "retrying in $delay s (nginx keeps serving the current certificate meanwhile)"
  sleep "$delay"
  delay=$((delay * 2)); [ "$delay" -gt "$renew_interval" ] && delay=$renew_interval
done
[ "${CERTBOT_ONCE:-0}" = 1 ] && exit 0

while sleep "$renew_interval"; do
  renew || true
done
