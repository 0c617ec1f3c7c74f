#!/bin/sh
# certbot --deploy-hook: runs after a certificate is issued or renewed, with RENEWED_LINEAGE set to
# its live/<name> directory. Copies it into the directory nginx reads (CERT_ACTIVE_DIR), key first
# and each file atomically, so nginx never loads a certificate without its key. nginx's watcher
# (nginx/docker-entrypoint.d/40-reload-on-change.sh) notices the new certificate and reloads.
set -eu
: "${RENEWED_LINEAGE:?run by certbot as a deploy hook}"
active=${CERT_ACTIVE_DIR:-/etc/letsencrypt/active}
mkdir -p "$active"
for name in privkey.pem fullchain.pem; do
  cp -L "$RENEWED_LINEAGE/$name" "$active/.$name.new"
  mv -f "$active/.$name.new" "$active/$name"
done
chmod 600 "$active/privkey.pem"
echo "deploy-hook: installed $(basename "$RENEWED_LINEAGE") into $active"
