#!/usr/bin/env python3
"""A minimal NOMYO client with Python `cryptography`: one secure completion, as the reference client sends it.

    python3 python_client.py BASE_URL CLIENT_KEY.pem [API_KEY] < request.json > answer.json

Fetches the router key from BASE_URL/pki/public_key, seals the JSON read from stdin to it, posts it
to BASE_URL/v1/chat/secure_completion with the client's public key in X-Public-Key, opens the
sealed answer with CLIENT_KEY.pem and writes its plaintext. Only the standard library and
`cryptography` (through nomyo_wire.py): a peer written independently of the TypeScript sources.
Exit 2 with the status or reason on stderr when the exchange fails.
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import nomyo_wire as wire


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write('usage: python_client.py BASE_URL CLIENT_KEY.pem [API_KEY] < request.json\n')
        return 64
    base_url, key_path = argv[1].rstrip('/'), argv[2]
    client_key = wire.load_private_key(key_path)
    try:
        with urllib.request.urlopen(base_url + '/pki/public_key', timeout=30) as response:
            router_key = wire.load_public_key_pem(response.read())
        headers = {
            'Content-Type': 'application/octet-stream',
            'X-Payload-ID': str(uuid.uuid4()),
            'X-Public-Key': urllib.parse.quote(wire.public_pem(client_key).decode('ascii'), safe=''),
        }
        if len(argv) == 4:
            headers['Authorization'] = 'Bearer ' + argv[3]
        request = urllib.request.Request(
            base_url + '/v1/chat/secure_completion',
            data=wire.seal_package(sys.stdin.buffer.read(), router_key),
            headers=headers,
            method='POST',
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        sys.stderr.write('HTTP %d\n' % error.code)
        return 2
    except wire.WireError as error:
        sys.stderr.write('rejected: %s\n' % error)
        return 2
    # A router answer may carry fields beside the package (processed_at); the package is the rest.
    package = {name: value for name, value in answer.items() if name in wire.PACKAGE_KEYS}
    try:
        plaintext = wire.parse_package(json.dumps(package).encode('utf-8'), client_key)
    except wire.WireError as error:
        sys.stderr.write('rejected: %s\n' % error)
        return 2
    sys.stdout.buffer.write(plaintext)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
