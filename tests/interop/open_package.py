#!/usr/bin/env python3
"""Opens a NOMYO package read from stdin with Python `cryptography`.

    python3 open_package.py PRIVATE_KEY.pem < package.json > plaintext.json

Applies the same strict validation as python_router.py and writes the plaintext bytes unchanged,
so a test can compare them byte for byte with what it sealed. Exit 2 with the reason on stderr
when the package breaks the wire format.
"""

import sys

import nomyo_wire as wire


def main(argv):
    if len(argv) != 2:
        sys.stderr.write('usage: open_package.py PRIVATE_KEY.pem < package.json\n')
        return 64
    private_key = wire.load_private_key(argv[1])
    try:
        plaintext = wire.parse_package(sys.stdin.buffer.read(), private_key)
        # The plaintext must itself be JSON; parsing it here proves that on the Python side.
        wire.strict_json(plaintext, 'plaintext')
    except wire.WireError as error:
        sys.stderr.write('rejected: %s\n' % error)
        return 2
    sys.stdout.buffer.write(plaintext)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
