"""Writes a self-signed certificate so nginx can start before any real certificate exists.

nginx refuses to start when ssl_certificate names a missing file, and the ACME http-01 challenge
needs nginx running: this breaks the cycle. Also the served certificate of the demo profile
(localhost). Uses the `cryptography` package every certbot installation carries (the official
Alpine image has no openssl CLI).

usage: placeholder.py DIR DOMAIN [--if-expiring-within DAYS]
  writes DIR/privkey.pem and DIR/fullchain.pem (atomically: key first, then certificate)
  exit 0 = written, 3 = an existing certificate is valid for longer than DAYS (left alone)
"""
import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def san_entries(domain):
    names = {domain, "localhost"}
    entries = []
    for name in sorted(names):
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    entries.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    return entries


def expires_within(path, days):
    try:
        with open(path, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
    except (OSError, ValueError):
        return True
    not_after = getattr(cert, "not_valid_after_utc", None) or cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
    return not_after - datetime.datetime.now(datetime.timezone.utc) < datetime.timedelta(days=days)


def write_atomically(path, data, mode):
    tmp = path + ".new"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv):
    if len(argv) not in (3, 5):
        sys.stderr.write(__doc__)
        return 2
    directory, domain = argv[1], argv[2]
    if len(argv) == 5 and not expires_within(os.path.join(directory, "fullchain.pem"), int(argv[4])):
        return 3
    os.makedirs(directory, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain[:64]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mssql-deep-research placeholder")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName(san_entries(domain)), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write_atomically(os.path.join(directory, "privkey.pem"), key_pem, 0o600)
    write_atomically(os.path.join(directory, "fullchain.pem"), cert.public_bytes(serialization.Encoding.PEM), 0o644)
    print("placeholder: self-signed certificate for %s written to %s" % (domain, directory))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
