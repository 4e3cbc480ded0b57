#!/usr/bin/python3
# A real SMTP server for the tests (Debian's python3-aiosmtpd) on a free
# loopback port. Prints "port N" once it listens, then writes every message
# it accepts into DIR as N.json (written whole, then renamed):
#   mail_from, rcpt_tos, tls (STARTTLS was used), login (authenticated
#   user or null), and the message parsed by Python's email package:
#   subject (decoded), body (decoded text), message_id, date, headers.
#
#   smtp-sink.py DIR [--tls CERT KEY] [--require-starttls] [--auth USER:PASSWORD]
#                    [--refuse N]   (answer 451 to the first N messages)
import argparse
import asyncio
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult

parser = argparse.ArgumentParser()
parser.add_argument('dir')
parser.add_argument('--tls', nargs=2, metavar=('CERT', 'KEY'))
parser.add_argument('--require-starttls', action='store_true')
parser.add_argument('--auth')
parser.add_argument('--refuse', type=int, default=0)
args = parser.parse_args()


class Handler:
    def __init__(self):
        self.count = 0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < args.refuse:
            self.refused += 1
            return '451 Try again later'
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        body = message.get_body(preferencelist=('plain',))
        record = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'tls': session.ssl is not None,
            'login': getattr(session, 'sd_login', None),
            'subject': str(message['subject']),
            # text/plain travels with CRLF line ends (its canonical form)
            'body': body.get_content().replace('\r\n', '\n') if body is not None else None,
            'message_id': str(message['message-id']),
            'date': str(message['date']),
            'headers': {k: str(v) for k, v in message.items()},
        }
        self.count += 1
        path = os.path.join(args.dir, '%d.json' % self.count)
        with open(path + '.tmp', 'w', encoding='utf-8') as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + '.tmp', path)
        return '250 OK'


def authenticator(server, session, envelope, mechanism, auth_data):
    user, _, password = args.auth.partition(':')
    ok = auth_data.login.decode() == user and auth_data.password.decode() == password
    if ok:
        session.sd_login = user
    return AuthResult(success=ok, handled=False)


async def main():
    handler = Handler()
    context = None
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
    kwargs = dict(tls_context=context, require_starttls=args.require_starttls)
    if args.auth:
        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=bool(args.tls))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **kwargs), '127.0.0.1', 0)
    print('port %d' % server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

try:
    asyncio.run(main())
except KeyboardInterrupt:
    sys.exit(0)
