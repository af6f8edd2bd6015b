"""The NOMYO hybrid package, written from shared/DESIGN.md section 1 with Python `cryptography`.

This is the reference Python client's stack (RSA-OAEP via OpenSSL, AESGCM), kept deliberately
independent of the TypeScript sources: if both sides shared a misreading of the wire format, tests
against our own router would still pass, but tests against this module would not.

Only the standard library and `cryptography` are used; works with cryptography 38 (Debian 12) and
later.
"""

import base64
import binascii
import datetime
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = '1.0'
ALGORITHM = 'hybrid-aes256-rsa4096'
KEY_ALGORITHM = 'RSA-OAEP-SHA256'
PAYLOAD_ALGORITHM = 'AES-256-GCM'
PACKAGE_KEYS = frozenset({
    'version', 'algorithm', 'encrypted_payload', 'encrypted_aes_key',
    'key_algorithm', 'payload_algorithm',
})
PAYLOAD_KEYS = frozenset({'ciphertext', 'nonce', 'tag'})
NONCE_BYTES = 12
TAG_BYTES = 16
AES_KEY_BYTES = 32
MIN_RSA_BITS = 2048

# SHA-256 for both the OAEP hash and MGF1, no label: the spec's choice, and the
# usual mismatch (MGF1-SHA1 is many libraries' default) that this pins down.
OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()),
    algorithm=hashes.SHA256(),
    label=None,
)


class WireError(ValueError):
    """The package or its plaintext breaks the wire format; the message says where."""


def b64encode(data):
    return base64.b64encode(data).decode('ascii')


def strict_b64decode(value, field):
    """Standard alphabet, padded, no whitespace, canonical (re-encodes to itself)."""
    if not isinstance(value, str):
        raise WireError('%s must be a string' % field)
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise WireError('%s is not strict padded standard base64' % field)
    # validate=True still accepts non-zero padding bits; a canonical check
    # rejects every encoding but the one RFC 4648 section 4 produces.
    if b64encode(data) != value:
        raise WireError('%s is not canonical base64' % field)
    return data


def _no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise WireError('duplicate JSON key %r' % key)
        result[key] = value
    return result


def strict_json(data, what):
    """UTF-8 JSON with no duplicate keys (a duplicate would hide which value counts)."""
    try:
        text = data.decode('utf-8', errors='strict')
    except UnicodeDecodeError:
        raise WireError('%s is not UTF-8' % what)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except ValueError as error:
        if isinstance(error, WireError):
            raise
        raise WireError('%s is not JSON' % what)


def modulus_bytes(public_key):
    return (public_key.key_size + 7) // 8


def parse_package(body, private_key):
    """Validates every field of a package strictly, then opens it.

    Returns the plaintext bytes. Raises WireError for any deviation from the
    format and for failed unwrap/authentication.
    """
    package = strict_json(body, 'package')
    if not isinstance(package, dict):
        raise WireError('package is not a JSON object')
    keys = set(package)
    if keys != PACKAGE_KEYS:
        raise WireError('package keys are %s, expected exactly %s' % (
            sorted(keys), sorted(PACKAGE_KEYS)))
    expected = {
        'version': VERSION,
        'algorithm': ALGORITHM,
        'key_algorithm': KEY_ALGORITHM,
        'payload_algorithm': PAYLOAD_ALGORITHM,
    }
    for name, value in expected.items():
        if package[name] != value:
            raise WireError('%s must be %r' % (name, value))
    sealed = package['encrypted_payload']
    if not isinstance(sealed, dict):
        raise WireError('encrypted_payload is not an object')
    if set(sealed) != PAYLOAD_KEYS:
        raise WireError('encrypted_payload keys are %s, expected exactly %s' % (
            sorted(sealed), sorted(PAYLOAD_KEYS)))
    ciphertext = strict_b64decode(sealed['ciphertext'], 'encrypted_payload.ciphertext')
    nonce = strict_b64decode(sealed['nonce'], 'encrypted_payload.nonce')
    tag = strict_b64decode(sealed['tag'], 'encrypted_payload.tag')
    wrapped = strict_b64decode(package['encrypted_aes_key'], 'encrypted_aes_key')
    if len(nonce) != NONCE_BYTES:
        raise WireError('nonce is %d bytes, expected %d' % (len(nonce), NONCE_BYTES))
    if len(tag) != TAG_BYTES:
        raise WireError('tag is %d bytes, expected %d' % (len(tag), TAG_BYTES))
    size = modulus_bytes(private_key.public_key())
    if len(wrapped) != size:
        raise WireError('encrypted_aes_key is %d bytes, expected %d (modulus)'
                        % (len(wrapped), size))
    try:
        aes_key = private_key.decrypt(wrapped, OAEP)
    except ValueError:
        raise WireError('RSA-OAEP-SHA256 unwrap failed')
    if len(aes_key) != AES_KEY_BYTES:
        raise WireError('unwrapped AES key is %d bytes, expected %d'
                        % (len(aes_key), AES_KEY_BYTES))
    try:
        # cryptography takes ciphertext||tag, the layout the wire format splits.
        return AESGCM(aes_key).decrypt(nonce, ciphertext + tag, None)
    except InvalidTag:
        raise WireError('AES-256-GCM authentication failed')


def seal_package(plaintext, public_key, extra=None):
    """Seals bytes to an RSA public key: fresh AES-256 key and 96-bit nonce each call."""
    aes_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(aes_key).encrypt(nonce, plaintext, None)
    package = {
        'version': VERSION,
        'algorithm': ALGORITHM,
        'encrypted_payload': {
            'ciphertext': b64encode(sealed[:-TAG_BYTES]),
            'nonce': b64encode(nonce),
            'tag': b64encode(sealed[-TAG_BYTES:]),
        },
        'encrypted_aes_key': b64encode(public_key.encrypt(aes_key, OAEP)),
        'key_algorithm': KEY_ALGORITHM,
        'payload_algorithm': PAYLOAD_ALGORITHM,
    }
    package.update(extra or {})
    return json.dumps(package).encode('utf-8')


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def load_private_key(path):
    with open(path, 'rb') as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SystemExit('%s is not an RSA private key' % path)
    return key


def load_public_key_pem(data):
    """Loads an SPKI PEM (bytes); raises WireError unless it is RSA of at least 2048 bits."""
    if not data.startswith(b'-----BEGIN PUBLIC KEY-----'):
        raise WireError('public key is not an SPKI PEM')
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise WireError('public key PEM does not load')
    if not isinstance(key, rsa.RSAPublicKey):
        raise WireError('public key is not RSA')
    if key.key_size < MIN_RSA_BITS:
        raise WireError('public key is %d bits, at least %d required'
                        % (key.key_size, MIN_RSA_BITS))
    return key


def public_pem(private_key):
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo,
    )
