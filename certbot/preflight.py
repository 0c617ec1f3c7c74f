"""Checks, before asking the CA, that an http-01 challenge can succeed, and says why not.

Writes a probe file into the webroot and fetches it the way the CA will (http://DOMAIN/...), and
through the local nginx. A CA validation failure costs a rate-limit slot (5 per hour per domain at
Let's Encrypt); a failed probe costs nothing and names the likely cause.

usage: preflight.py WEBROOT DOMAIN HTTP_PORT LOCAL_URL
  exit 0 = both fetches returned the probe; 1 = nginx (LOCAL_URL) does not serve the webroot yet;
  2 = the public fetch failed (the message names DNS, port 80 or another server)
"""
import os
import secrets
import socket
import sys
import urllib.error
import urllib.request


def fetch(url):
    request = urllib.request.Request(url, headers={"User-Agent": "mssql-deep-research-certbot-preflight"})
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=10) as response:
        return response.status, response.read(4096).decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def explain_public_failure(domain, port, error):
    try:
        addresses = sorted({info[4][0] for info in socket.getaddrinfo(domain, port, proto=socket.IPPROTO_TCP)})
    except socket.gaierror:
        return ("DNS: %s does not resolve. Create an A (and AAAA, if you use IPv6) record pointing at this "
                "server's public address, wait for it to propagate (dig +short %s), then restart certbot." % (domain, domain))
    where = ", ".join(addresses)
    if isinstance(error, urllib.error.HTTPError):
        return ("%s (%s) answered HTTP %s for the challenge file instead of serving it: DNS points at another "
                "server, or a proxy/CDN in front (Cloudflare: set the record to 'DNS only') intercepts port 80." % (domain, where, error.code))
    if isinstance(error, str):
        return ("%s (%s) served something else for the challenge file: DNS points at another server, or a "
                "proxy/CDN in front intercepts port 80." % (domain, where))
    return ("port 80 closed or unreachable: %s resolves to %s but http://%s:%s/ could not be fetched (%s). "
            "Open 80/tcp in the firewall and the cloud security group (ufw allow 80/tcp), check that the "
            "address is this server's, and that nothing else holds port 80." % (domain, where, domain, port, error))


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 64
    webroot, domain, port, local_url = argv[1], argv[2], argv[3], argv[4].rstrip("/")
    directory = os.path.join(webroot, ".well-known", "acme-challenge")
    os.makedirs(directory, exist_ok=True)
    name = "preflight-" + secrets.token_hex(8)
    content = secrets.token_hex(16)
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(content)
    os.chmod(path, 0o644)
    try:
        try:
            status, body = fetch("%s/.well-known/acme-challenge/%s" % (local_url, name))
            if status != 200 or body.strip() != content:
                raise ValueError("HTTP %s" % status)
        except Exception as error:  # noqa: BLE001 - any failure means "not served yet"
            print("preflight: nginx at %s does not serve the ACME webroot yet (%s)" % (local_url, error))
            return 1
        suffix = "" if port == "80" else ":" + port
        try:
            status, body = fetch("http://%s%s/.well-known/acme-challenge/%s" % (domain, suffix, name))
            if body.strip() != content:
                print("preflight: " + explain_public_failure(domain, port, "content mismatch"))
                return 2
        except Exception as error:  # noqa: BLE001
            print("preflight: " + explain_public_failure(domain, port, error))
            return 2
        print("preflight: http://%s%s/.well-known/acme-challenge/ reaches this server's webroot" % (domain, suffix))
        return 0
    finally:
        os.remove(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
