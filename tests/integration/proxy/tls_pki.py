"""Throwaway X.509 material for TLS tests (python3-cryptography): CAs, server and client
certificates, CRLs, written as PEM files the way Octavia ships them (certificate + key in one)."""
import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_ONE_DAY = datetime.timedelta(days=1)


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Octane tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class Ca:
    def __init__(self, cn):
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        self.cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn))
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(now - _ONE_DAY).not_valid_after(now + _ONE_DAY)
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                     .add_extension(x509.KeyUsage(False, False, False, False, False, True, True,
                                                  False, False), True)
                     .sign(self.key, hashes.SHA256()))
        self.revoked = []

    def cert_pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, cn, dns=(), ips=(), client=False):
        """Returns (certificate, PEM bytes of certificate + key)."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        b = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(self.cert.subject)
             .public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - _ONE_DAY).not_valid_after(now + _ONE_DAY)
             .add_extension(x509.ExtendedKeyUsage(
                 [ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH]),
                 False))
        sans = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i))
                                                  for i in ips]
        if sans:
            b = b.add_extension(x509.SubjectAlternativeName(sans), False)
        cert = b.sign(self.key, hashes.SHA256())
        return cert, cert.public_bytes(serialization.Encoding.PEM) + _key_pem(key)

    def revoke(self, cert):
        self.revoked.append(cert)

    def crl_pem(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        b = (x509.CertificateRevocationListBuilder().issuer_name(self.cert.subject)
             .last_update(now - _ONE_DAY).next_update(now + _ONE_DAY))
        for c in self.revoked:
            b = b.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(c.serial_number)
                .revocation_date(now - _ONE_DAY).build())
        return b.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def write(path, data):
    path.write_bytes(data)
    return str(path)
