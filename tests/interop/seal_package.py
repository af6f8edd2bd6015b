#!/usr/bin/env python3
"""Seals the JSON read from stdin to an RSA public key with Python `cryptography`.

    python3 seal_package.py PUBLIC_KEY.pem [PROCESSED_AT] < plaintext.json > package.json

Writes the package as a router answers it, with `processed_at` (given, or the current time)
beside the six package fields. The input must be JSON; its bytes are sealed unchanged.
"""

import sys

import nomyo_wire as wire


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write('usage: seal_package.py PUBLIC_KEY.pem [PROCESSED_AT] < plaintext.json\n')
        return 64
    with open(argv[1], 'rb') as handle:
        public_key = wire.load_public_key_pem(handle.read())
    plaintext = sys.stdin.buffer.read()
    try:
        wire.strict_json(plaintext, 'input')
    except wire.WireError as error:
        sys.stderr.write('refused: %s\n' % error)
        return 2
    processed_at = argv[2] if len(argv) == 3 else wire.now_iso()
    package = wire.seal_package(plaintext, public_key, {'processed_at': processed_at})
    sys.stdout.buffer.write(package)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
