#!/usr/bin/python3
# A webhook receiver for the tests: an HTTP server on a free loopback port.
# Prints "port N" once it listens, then writes every POST it receives into
# DIR as N.json (written whole, then renamed) as soon as it arrives:
#   delivery (X-SupportDesk-Delivery), signature_ok (the HMAC-SHA256 of the
#   body with SECRET matches X-SupportDesk-Signature), body (parsed JSON).
# Receivers deduplicate on the delivery id; the tests count both.
#
#   webhook-receiver.py DIR SECRET [--fail N] [--hold-first]
#     --fail N       answer 500 to the first N requests
#     --hold-first   never answer the first request (the sender dies meanwhile)
import argparse
import hashlib
import hmac
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument('dir')
parser.add_argument('secret')
parser.add_argument('--fail', type=int, default=0)
parser.add_argument('--hold-first', action='store_true')
args = parser.parse_args()

lock = threading.Lock()
count = 0
forever = threading.Event()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        expected = 'sha256=' + hmac.new(args.secret.encode(), body, hashlib.sha256).hexdigest()
        signature = self.headers.get('X-SupportDesk-Signature', '')
        with lock:
            count += 1
            n = count
            record = {
                'delivery': self.headers.get('X-SupportDesk-Delivery'),
                'signature_ok': hmac.compare_digest(expected, signature),
                'content_type': self.headers.get('Content-Type'),
                'body': json.loads(body),
            }
            path = os.path.join(args.dir, '%d.json' % n)
            with open(path + '.tmp', 'w', encoding='utf-8') as f:
                json.dump(record, f, ensure_ascii=False)
            os.rename(path + '.tmp', path)
        if n == 1 and args.hold_first:
            forever.wait()
            return
        status = 500 if n <= args.fail else 204
        self.send_response(status)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, format, *a):
        pass


server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
server.daemon_threads = True
print('port %d' % server.server_address[1], flush=True)
server.serve_forever()
