#!/usr/bin/env python3
"""A minimal, strict NOMYO secure router on the Python standard library and `cryptography`.

It exists to catch a symmetric bug: our TypeScript client and our TypeScript router could agree
on a wrong wire format and every test between them would pass. This router is written from the
spec (shared/DESIGN.md section 1), not from our sources, and refuses anything the spec does not
allow, so the interop tests fail the moment our client drifts.

    python3 python_router.py --key ROUTER_PRIVATE.pem --log requests.jsonl [--port 0]

Prints the bound port as the first stdout line, then serves on 127.0.0.1 until killed. Every
request appends one JSON line to the log: the headers of interest, the decrypted payload and the
validation result, for the test to assert on.
"""

import argparse
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import nomyo_wire as wire

PUBLIC_KEY_PATH = '/pki/public_key'
COMPLETION_PATH = '/v1/chat/secure_completion'
TIERS = ('standard', 'high', 'maximum')
# Fields that are per-call options of the client and must travel in headers only.
FORBIDDEN_PAYLOAD_FIELDS = ('api_key', 'security_tier', 'base_url')
# What encodeURIComponent leaves unescaped, besides ASCII letters and digits.
URI_COMPONENT_SAFE = "-_.!~*'()"
MAX_BODY = 16 * 1024 * 1024


def check_headers(headers):
    """Returns (client public key, facts for the log); raises WireError on any bad header."""
    for name in ('Content-Type', 'X-Payload-ID', 'X-Public-Key',
                 'Authorization', 'X-Security-Tier'):
        if len(headers.get_all(name) or []) > 1:
            raise wire.WireError('header %s sent more than once' % name)
    content_type = headers.get('Content-Type')
    if content_type != 'application/octet-stream':
        raise wire.WireError('Content-Type must be application/octet-stream, got %r'
                             % (content_type,))

    payload_id = headers.get('X-Payload-ID')
    if payload_id is None:
        raise wire.WireError('X-Payload-ID is missing')
    try:
        parsed = uuid.UUID(payload_id)
    except ValueError:
        raise wire.WireError('X-Payload-ID is not a UUID')
    if str(parsed) != payload_id:
        raise wire.WireError('X-Payload-ID is not a canonical lower-case UUID')

    encoded_key = headers.get('X-Public-Key')
    if encoded_key is None:
        raise wire.WireError('X-Public-Key is missing')
    try:
        pem = urllib.parse.unquote(encoded_key, errors='strict')
        pem_bytes = pem.encode('ascii')
    except UnicodeError:
        raise wire.WireError('X-Public-Key does not decode to an ASCII PEM')
    # The header must be exactly one of the two encoders' output: encodeURIComponent(pem)
    # (our client) or urllib.parse.quote(pem) (the reference client: '/' left as it is, and
    # the PEM's trailing newline stripped when its keys were loaded from files). A raw PEM
    # cannot even travel in a header, and a half-encoded one means another encoder.
    if encoded_key not in (urllib.parse.quote(pem, safe=URI_COMPONENT_SAFE),
                           urllib.parse.quote(pem)):
        raise wire.WireError('X-Public-Key is not the percent-encoding of a PEM')
    client_key = wire.load_public_key_pem(pem_bytes)

    authorization = headers.get('Authorization')
    api_key = None
    if authorization is not None:
        match = re.fullmatch(r'Bearer (\S+)', authorization)
        if not match:
            raise wire.WireError('Authorization must be "Bearer <key>"')
        api_key = match.group(1)

    tier = headers.get('X-Security-Tier')
    if tier is not None and tier not in TIERS:
        raise wire.WireError('X-Security-Tier must be one of %s' % (TIERS,))

    facts = {
        'content_type': content_type,
        'payload_id': payload_id,
        'public_key_pem': pem,
        'authorization': authorization,
        'api_key': api_key,
        'security_tier': tier,
    }
    return client_key, facts


def check_payload(plaintext):
    payload = wire.strict_json(plaintext, 'plaintext')
    if not isinstance(payload, dict):
        raise wire.WireError('plaintext is not a JSON object')
    for name in FORBIDDEN_PAYLOAD_FIELDS:
        if name in payload:
            raise wire.WireError('plaintext must not contain %s (it belongs in a header)' % name)
    if payload.get('stream', None) is not False:
        raise wire.WireError('plaintext must carry "stream": false')
    if not isinstance(payload.get('model'), str) or not payload['model']:
        raise wire.WireError('plaintext needs a non-empty string "model"')
    if not isinstance(payload.get('messages'), list) or not payload['messages']:
        raise wire.WireError('plaintext needs a non-empty "messages" array')
    return payload


def completion_for(payload):
    """An OpenAI ChatCompletion echoing the last message; a tool call when one is forced."""
    last = payload['messages'][-1]
    content = last.get('content') if isinstance(last, dict) else None
    n = payload.get('n', 1)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        n = 1
    choice = payload.get('tool_choice')
    name = choice.get('function', {}).get('name') if isinstance(choice, dict) else None
    if payload.get('tools') and isinstance(name, str):
        message = {
            'role': 'assistant',
            'content': None,
            'tool_calls': [{
                'id': 'call_py_0',
                'type': 'function',
                'function': {'name': name, 'arguments': json.dumps({'echo': content})},
            }],
        }
        finish = 'tool_calls'
    else:
        message = {'role': 'assistant', 'content': 'echo: %s' % (content,)}
        finish = 'stop'
    return {
        'id': 'chatcmpl-py-%s' % uuid.uuid4().hex,
        'object': 'chat.completion',
        'created': int(time.time()),
        'model': payload['model'],
        'choices': [
            {'index': index, 'message': message, 'finish_reason': finish}
            for index in range(n)
        ],
        'usage': {'prompt_tokens': 1, 'completion_tokens': 2, 'total_tokens': 3},
    }


class Router(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'nomyo-interop-python/1'

    def log_message(self, format, *args):
        # Quiet: the JSON log is the record; stderr stays for real failures.
        pass

    def record(self, entry):
        entry.setdefault('method', self.command)
        entry.setdefault('path', self.path)
        line = json.dumps(entry, ensure_ascii=False) + '\n'
        with self.server.log_lock:
            with open(self.server.log_path, 'a', encoding='utf-8') as handle:
                handle.write(line)

    def answer(self, status, body, content_type):
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reject(self, status, detail, entry):
        entry.update({'status': status, 'ok': False, 'detail': detail})
        self.record(entry)
        body = json.dumps({'detail': detail}).encode('utf-8')
        self.answer(status, body, 'application/json')

    def read_body(self):
        length = self.headers.get('Content-Length')
        if length is None or not length.isdigit():
            raise wire.WireError('Content-Length is required')
        length = int(length)
        if length > MAX_BODY:
            raise wire.WireError('body too large')
        return self.rfile.read(length)

    def do_GET(self):
        if self.path != PUBLIC_KEY_PATH:
            self.reject(404, 'not found', {})
            return
        self.record({'status': 200, 'ok': True})
        self.answer(200, self.server.public_pem, 'text/plain; charset=utf-8')

    def do_POST(self):
        entry = {}
        try:
            body = self.read_body()
        except wire.WireError as error:
            self.close_connection = True
            self.reject(400, str(error), entry)
            return
        if self.path != COMPLETION_PATH:
            self.reject(404, 'not found', entry)
            return
        try:
            client_key, facts = check_headers(self.headers)
            entry['headers'] = facts
            plaintext = wire.parse_package(body, self.server.private_key)
            entry['plaintext_bytes'] = len(plaintext)
            payload = check_payload(plaintext)
            entry['payload'] = payload
            completion = completion_for(payload)
            sealed = wire.seal_package(
                json.dumps(completion, ensure_ascii=False).encode('utf-8'),
                client_key,
                {'processed_at': wire.now_iso()},
            )
        except wire.WireError as error:
            self.reject(400, str(error), entry)
            return
        except Exception as error:  # a bug here must show as a failure, not a hang
            self.reject(500, 'router error: %r' % (error,), entry)
            return
        entry.update({'status': 200, 'ok': True, 'detail': None,
                      'completion_id': completion['id']})
        self.record(entry)
        self.answer(200, sealed, 'application/json')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--key', required=True, help='router private key, unencrypted PKCS#8 PEM')
    parser.add_argument('--log', required=True, help='file to append one JSON line per request to')
    parser.add_argument('--port', type=int, default=0, help='0 picks a free port (printed)')
    args = parser.parse_args()

    server = ThreadingHTTPServer(('127.0.0.1', args.port), Router)
    server.daemon_threads = True
    server.private_key = wire.load_private_key(args.key)
    server.public_pem = wire.public_pem(server.private_key)
    server.log_path = args.log
    server.log_lock = threading.Lock()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
