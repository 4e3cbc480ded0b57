#!/usr/bin/env python3
"""GET /me latency while other clients read full pages of cases.

Starts supportdesk-server with a demo database of --cases cases, signs in,
measures GET /me (one request every 10 ms) alone for --duration / 2
seconds, then while --readers threads fetch GET /cases?limit=1000 in a
loop for --duration seconds. Prints the percentiles. A measurement for docs/performance.md, not a test:

    python3 tests/server/load-me-latency.py build/src/server/supportdesk-server
"""
import argparse
import http.client
import json
import os
import subprocess
import tempfile
import threading
import time


def request(port, method, path, token=None, body=None):
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('server')
    parser.add_argument('--cases', type=int, default=10000)
    parser.add_argument('--readers', type=int, default=4)
    parser.add_argument('--duration', type=float, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        server = subprocess.Popen([args.server, '--db', os.path.join(directory, 'load.db'),
                                   '--listen', '127.0.0.1:0', '--demo',
                                   '--demo-cases', str(args.cases)],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = None
            for line in server.stdout:
                if 'listening on ' in line:
                    port = int(line.rsplit(':', 1)[1].split('/')[0])
                    break
            status, data = request(port, 'POST', '/api/v1/auth/token',
                                   body=json.dumps({'login': 'li.na', 'password': 'supportdesk-demo'}))
            assert status == 201, data
            token = json.loads(data)['token']

            def measure(seconds):
                latencies = []
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    started = time.monotonic()
                    status, _ = request(port, 'GET', '/api/v1/me', token)
                    assert status == 200
                    latencies.append((time.monotonic() - started) * 1000)
                    time.sleep(0.01)
                return (f'{len(latencies)} requests, p50 {percentile(latencies, 50):.1f} ms, '
                        f'p99 {percentile(latencies, 99):.1f} ms, max {max(latencies):.1f} ms')

            alone = measure(args.duration / 2)

            stop = threading.Event()
            pages = [0]
            items = [0]

            def reader():
                while not stop.is_set():
                    status, data = request(port, 'GET', '/api/v1/cases?limit=1000', token)
                    assert status == 200
                    pages[0] += 1
                    items[0] += len(json.loads(data)['items'])

            readers = [threading.Thread(target=reader) for _ in range(args.readers)]
            for thread in readers:
                thread.start()
            loaded = measure(args.duration)
            stop.set()
            for thread in readers:
                thread.join()

            print(f'GET /me alone, {args.duration / 2:.0f} s: {alone}')
            print(f'GET /me while {args.readers} clients read GET /cases?limit=1000 over {args.cases} cases, '
                  f'{args.duration:.0f} s: {loaded}')
            print(f'the readers got {pages[0]} pages, {items[0] / max(pages[0], 1):.0f} items per page')
        finally:
            server.terminate()
            server.wait()


if __name__ == '__main__':
    main()
