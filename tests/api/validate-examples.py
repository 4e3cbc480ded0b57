#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks real responses of supportdesk-server against the OpenAPI description.

    validate-examples.py SPEC SUPPORTDESK-SERVER

Starts the server with --demo on a free port and a scratch database, makes
requests as the demo users, and checks every response against the
operation the spec declares for it: the status is one of its responses,
the Content-Type is one it declares, the declared headers are present and
valid, and the JSON body validates against the response schema (a small
validator for the JSON Schema keywords the spec uses). On top of that it
checks a few documented behaviours: ETag is the version, Location, the
limited view of other users, paging, another customer's case is 404, 405
with Allow, If-Match (412/428), idempotent creates, the audit log's pages
and who may read it.

A known server issue that has not been fixed yet is reported as
"KNOWN SERVER ISSUE" without failing; set SUPPORTDESK_API_STRICT=1 to fail
on those too.
"""

import datetime
import http.client
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import yamlsubset  # noqa: E402

DEMO_PASSWORD = 'supportdesk-demo'
STRICT = os.environ.get('SUPPORTDESK_API_STRICT') == '1'

# Server bugs reported but not fixed yet: (name, regex over a validation error).
KNOWN_SCHEMA_ISSUES = [
]

# ------------------------------------------------------------------ schema


def type_name(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, int):
        return 'integer'
    if isinstance(value, float):
        return 'number'
    if isinstance(value, str):
        return 'string'
    if isinstance(value, list):
        return 'array'
    if isinstance(value, dict):
        return 'object'
    return type(value).__name__


def is_type(value, name):
    actual = type_name(value)
    return actual == name or (name == 'number' and actual == 'integer')


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


DATE_TIME = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$')
DATE = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
UUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')


def closest(results):
    """The errors of the branch that came closest: fewest errors, then deepest."""
    def depth(errors):
        return sum(error.split(':', 1)[0].count('.') + error.split(':', 1)[0].count('[') for error in errors)
    return min(results, key=lambda errors: (len(errors), -depth(errors) / max(len(errors), 1)))


def format_error(fmt, value):
    try:
        if fmt == 'date-time':
            if DATE_TIME.match(value):
                datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
                return None
        elif fmt == 'date':
            if DATE.match(value):
                datetime.date.fromisoformat(value)
                return None
        elif fmt == 'uuid':
            if UUID.match(value):
                return None
        elif fmt == 'email':
            if re.match(r'^[^@\s]+@[^@\s]+$', value):
                return None
        else:
            return None
    except ValueError:
        pass
    return f'{value!r} is not a valid {fmt}'


class Spec:
    def __init__(self, path):
        with open(path, encoding='utf-8') as spec:
            self.doc = yamlsubset.load(spec.read())
        server = self.doc['servers'][0]['url']
        self.prefix = re.sub(r'^[a-z]+://[^/]+', '', server).rstrip('/')

    def resolve(self, ref):
        if not ref.startswith('#/'):
            raise ValueError(f'unsupported $ref {ref}')
        node = self.doc
        for part in ref[2:].split('/'):
            node = node[part.replace('~1', '/').replace('~0', '~')]
        return node

    def schema(self, name):
        return {'$ref': f'#/components/schemas/{name}'}

    # The JSON Schema keywords used in docs/api/openapi.yaml.
    def errors(self, schema, value, path='$'):
        out = []
        self._check(schema, value, path, out)
        return out

    def _check(self, schema, value, path, out):
        if schema is True or not schema:
            return
        if '$ref' in schema:
            self._check(self.resolve(schema['$ref']), value, path, out)
        if value is None and schema.get('nullable') is True:
            return
        if 'type' in schema:
            types = schema['type'] if isinstance(schema['type'], list) else [schema['type']]
            if schema.get('nullable') is True:
                types = types + ['null']
            if not any(is_type(value, t) for t in types):
                out.append(f'{path}: expected {" or ".join(types)}, found {type_name(value)}')
                return
        if 'const' in schema and not same(value, schema['const']):
            out.append(f'{path}: {value!r} is not {schema["const"]!r}')
        if 'enum' in schema and not any(same(value, e) for e in schema['enum']):
            out.append(f'{path}: {value!r} is not one of {schema["enum"]}')
        if isinstance(value, str):
            if 'pattern' in schema and not re.search(schema['pattern'], value):
                out.append(f'{path}: {value!r} does not match pattern {schema["pattern"]}')
            if 'minLength' in schema and len(value) < schema['minLength']:
                out.append(f'{path}: shorter than {schema["minLength"]}')
            if 'maxLength' in schema and len(value) > schema['maxLength']:
                out.append(f'{path}: longer than {schema["maxLength"]}')
            if 'format' in schema:
                problem = format_error(schema['format'], value)
                if problem:
                    out.append(f'{path}: {problem}')
        if type_name(value) in ('integer', 'number'):
            if 'minimum' in schema and value < schema['minimum']:
                out.append(f'{path}: {value} is less than {schema["minimum"]}')
            if 'maximum' in schema and value > schema['maximum']:
                out.append(f'{path}: {value} is more than {schema["maximum"]}')
        if isinstance(value, list):
            if 'minItems' in schema and len(value) < schema['minItems']:
                out.append(f'{path}: fewer than {schema["minItems"]} items')
            if 'maxItems' in schema and len(value) > schema['maxItems']:
                out.append(f'{path}: more than {schema["maxItems"]} items')
            if 'items' in schema:
                for i, item in enumerate(value):
                    self._check(schema['items'], item, f'{path}[{i}]', out)
        if isinstance(value, dict):
            properties = schema.get('properties', {})
            for name in schema.get('required', []):
                if name not in value:
                    out.append(f'{path}: required member “{name}” is missing')
            for name, member in value.items():
                if name in properties:
                    self._check(properties[name], member, f'{path}.{name}', out)
                elif schema.get('additionalProperties') is False:
                    out.append(f'{path}: unexpected member “{name}”')
                elif isinstance(schema.get('additionalProperties'), dict):
                    self._check(schema['additionalProperties'], member, f'{path}.{name}', out)
            if 'maxProperties' in schema and len(value) > schema['maxProperties']:
                out.append(f'{path}: more than {schema["maxProperties"]} members')
        for sub in schema.get('allOf', []):
            self._check(sub, value, path, out)
        if 'anyOf' in schema:
            results = [self.errors(sub, value, path) for sub in schema['anyOf']]
            if all(results):
                out.extend(closest(results))
        if 'oneOf' in schema:
            results = [self.errors(sub, value, path) for sub in schema['oneOf']]
            matching = [i for i, r in enumerate(results) if not r]
            if len(matching) > 1:
                out.append(f'{path}: matches {len(matching)} branches of oneOf, not exactly one')
            elif not matching:
                chosen = None
                discriminator = schema.get('discriminator')
                if discriminator and isinstance(value, dict):
                    target = discriminator.get('mapping', {}).get(value.get(discriminator['propertyName']))
                    for i, sub in enumerate(schema['oneOf']):
                        if sub.get('$ref') == target:
                            chosen = results[i]
                out.extend(chosen if chosen is not None else closest(results))

    # ---------------------------------------------------------- operations

    def find(self, method, path):
        """(template, operation or None) for a path below the prefix, or (None, None)."""
        segments = path.strip('/').split('/')
        for template, item in self.doc['paths'].items():
            parts = template.strip('/').split('/')
            if len(parts) == len(segments) and all(
                    p == s or (p.startswith('{') and s) for p, s in zip(parts, segments)):
                return template, item.get(method.lower())
        return None, None

    def methods(self, template):
        return {m.upper() for m in self.doc['paths'][template]
                if m in ('get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace')}

# ------------------------------------------------------------------- HTTP


class Response:
    def __init__(self, method, path, status, headers, raw):
        self.method = method
        self.path = path
        self.status = status
        self.headers = headers
        self.raw = raw
        self.content_type = (headers.get('Content-Type') or '').split(';')[0].strip()
        self.json = None
        if raw:
            try:
                self.json = json.loads(raw)
            except ValueError:
                self.json = ValueError(raw[:200])

    def header(self, name):
        return self.headers.get(name)

    def __str__(self):
        return f'{self.method} {self.path} → {self.status}'


class Checker:
    def __init__(self, spec, host, port):
        self.spec = spec
        self.host = host
        self.port = port
        self.failures = []
        self.known = []
        self.checked = 0

    def fail(self, message):
        print(f'FAIL: {message}', flush=True)
        self.failures.append(message)

    def expect(self, condition, message):
        if not condition:
            self.fail(message)
        return condition

    def known_issue(self, name, message):
        seen = sum(1 for known, _ in self.known if known == name)
        if seen < 3 or STRICT:
            print(f'KNOWN SERVER ISSUE ({name}): {message}', flush=True)
        self.known.append((name, message))
        if STRICT:
            self.failures.append(message)

    def request(self, method, path, token=None, body=None, headers=None, expect=None):
        headers = dict(headers or {})
        data = None
        if token:
            headers['Authorization'] = f'Bearer {token}'
        if body is not None:
            data = json.dumps(body).encode('utf-8')
            headers.setdefault('Content-Type', 'application/json')
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, self.spec.prefix + path, body=data, headers=headers)
            reply = connection.getresponse()
            response = Response(method, path, reply.status, reply.headers, reply.read())
        finally:
            connection.close()
        self.check_contract(response)
        if body is not None and 200 <= response.status < 300:
            self.check_request(method, path, headers.get('Content-Type'), body)
        if expect is not None:
            self.expect(response.status == expect, f'{response}: expected {expect}')
        return response

    def validate(self, schema, value, where):
        for error in self.spec.errors(schema, value):
            for name, pattern in KNOWN_SCHEMA_ISSUES:
                if pattern.search(error):
                    self.known_issue(name, f'{where}: {error}')
                    break
            else:
                self.fail(f'{where}: {error}')

    def check_request(self, method, path, content_type, body):
        """A body the server accepted is valid for the spec's request schema."""
        _, operation = self.spec.find(method, path.split('?', 1)[0])
        content = (operation or {}).get('requestBody', {}).get('content', {})
        if not self.expect(content_type in content,
                           f'{method} {path}: the server accepted a {content_type} body the spec does not declare'):
            return
        self.validate(content[content_type]['schema'], body, f'{method} {path} request body')

    def check_contract(self, response):
        """The response is one the spec declares for this operation."""
        self.checked += 1
        path = response.path.split('?', 1)[0]
        template, operation = self.spec.find(response.method, path)
        problem = self.spec.schema('Problem')
        if template is None or operation is None:
            # Not an operation: 404 for an unknown path, 405 with Allow for a known one.
            expected = 404 if template is None else 405
            if not self.expect(response.status == expected, f'{response}: expected {expected} outside the spec'):
                return
            self.expect(response.content_type == 'application/problem+json',
                        f'{response}: Content-Type {response.content_type}')
            self.validate(problem, response.json, str(response))
            if template is not None:
                allow = {m.strip() for m in (response.header('Allow') or '').split(',') if m.strip()}
                self.expect(allow == self.spec.methods(template),
                            f'{response}: Allow “{response.header("Allow")}”, the spec has '
                            f'{sorted(self.spec.methods(template))}')
            return

        declared = operation['responses'].get(str(response.status))
        if declared is None:
            self.fail(f'{response}: status {response.status} is not declared for '
                      f'{operation["operationId"]} (body {response.raw[:200]!r})')
            return
        if '$ref' in declared:
            declared = self.spec.resolve(declared['$ref'])

        for name, header in declared.get('headers', {}).items():
            if '$ref' in header:
                header = self.spec.resolve(header['$ref'])
            value = response.header(name)
            if not self.expect(value is not None, f'{response}: header {name} is missing'):
                continue
            schema = header.get('schema', {})
            if schema.get('type') == 'integer':
                if not self.expect(re.match(r'^[0-9]+$', value), f'{response}: {name} “{value}” is not an integer'):
                    continue
                value = int(value)
            self.validate(schema, value, f'{response} header {name}')

        content = declared.get('content')
        if content is None:
            self.expect(not response.raw, f'{response}: a body where the spec declares none')
            return
        if not self.expect(response.content_type in content,
                           f'{response}: Content-Type “{response.content_type}”, the spec has {sorted(content)}'):
            return
        if isinstance(response.json, ValueError):
            self.fail(f'{response}: the body is not JSON: {response.json}')
            return
        self.validate(content[response.content_type]['schema'], response.json, str(response))

# ----------------------------------------------------------------- server


def start_server(executable, directory):
    with open(os.path.join(directory, 'server.log'), 'wb') as log:
        process = subprocess.Popen(
            [executable, '--db', os.path.join(directory, 'api.db'), '--listen', '127.0.0.1:0', '--demo'],
            stdout=subprocess.PIPE, stderr=log)
    deadline = time.monotonic() + 30
    output = b''
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                break
            output += chunk
            # The demo logins come first; the port is on the "listening on" line.
            match = re.search(rb'listening on https?://([0-9.]+):([0-9]+)(/\S*)\n', output)
            if match:
                return process, match.group(1).decode(), int(match.group(2)), match.group(3).decode()
        elif process.poll() is not None:
            break
    stop_server(process)
    raise RuntimeError('supportdesk-server did not start:\n' + output.decode('utf-8', 'replace'))


def stop_server(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()

# ------------------------------------------------------------------ checks


def sign_in(c, login):
    response = c.request('POST', '/auth/token', body={'login': login, 'password': DEMO_PASSWORD}, expect=201)
    c.expect(response.header('Cache-Control') == 'no-store', f'{response}: Cache-Control is not no-store')
    return response.json['token'], response.json['user']


def all_pages(c, path, token, limit):
    items, cursor = [], None
    while True:
        separator = '&' if '?' in path else '?'
        query = f'{separator}limit={limit}' + (f'&cursor={cursor}' if cursor else '')
        page = c.request('GET', path + query, token, expect=200).json
        items.extend(page['items'])
        cursor = page['next_cursor']
        if cursor is None:
            return items


def check_reads(c, token, me):
    c.request('GET', '/me', token, expect=200)

    users = c.request('GET', '/users', token, expect=200).json['items']
    for user in users:
        if user['id'] == me['id']:
            c.expect('login' in user, '/users: the signed-in user is not in the full view')
        else:
            c.expect('login' not in user and 'email' not in user,
                     f'/users: {user["id"]} is not in the limited view')
    other = next(u for u in users if u['id'] != me['id'])
    c.request('GET', f'/users/{other["id"]}', token, expect=200)

    customers = c.request('GET', '/customers', token, expect=200).json['items']
    c.expect(customers, '/customers: li.na sees no customer')
    response = c.request('GET', f'/customers/{customers[0]["id"]}', token, expect=200)
    c.expect(response.header('ETag') == f'"{response.json["version"]}"', f'{response}: ETag is not the version')

    c.request('GET', '/calendars', token, expect=200)
    c.request('GET', '/calendars/cn-mainland', token, expect=200)
    policies = c.request('GET', '/sla-policies', token, expect=200).json['items']
    c.expect({p['tier'] for p in policies} == {'msa_enterprise', 'standard'}, '/sla-policies: not one per tier')
    for tier in ('msa_enterprise', 'standard'):
        c.request('GET', f'/sla-policies/{tier}', token, expect=200)
    c.request('GET', '/sla-policies/gold', token, expect=404)
    c.request('GET', '/checklist-templates', token, expect=200)
    c.request('GET', '/checklist-templates/endpoint-security', token, expect=200)
    c.request('GET', '/checklist-templates/no-such-template', token, expect=404)

    page = c.request('GET', '/cases?limit=5', token, expect=200).json
    c.expect(len(page['items']) == 5 and page['next_cursor'], '/cases?limit=5: not a full page with a cursor')
    following = c.request('GET', f'/cases?limit=5&cursor={page["next_cursor"]}', token, expect=200).json
    c.expect(all(case['id'] > page['next_cursor'] for case in following['items']),
             '/cases: the next page does not start after the cursor')
    for case_type in ('incident', 'service_request', 'signature_change', 'private_patch', 'database_release'):
        typed = c.request('GET', f'/cases?type={case_type}&limit=3', token, expect=200).json['items']
        c.expect(typed and all(case['type'] == case_type for case in typed), f'/cases?type={case_type}')
    for query in ('status=in_progress', 'severity=1', f'customer_id={customers[0]["id"]}',
                  f'assignee_id={me["id"]}'):
        c.request('GET', f'/cases?{query}&limit=3', token, expect=200)

    case = c.request('GET', '/cases?type=incident&status=in_progress&limit=1', token, expect=200).json['items'][0]
    response = c.request('GET', f'/cases/{case["id"]}', token, expect=200)
    c.expect(response.header('ETag') == f'"{response.json["version"]}"', f'{response}: ETag is not the version')
    c.expect(response.json['sla'] is not None, f'{response}: no SLA computed')
    c.request('GET', f'/cases/{case["id"]}/events', token, expect=200)
    record = c.request('GET', f'/cases/{case["id"]}/sla-record', token, expect=200).json
    c.expect(record['id'] == case['id'] and any(p['metric'] == 'response' for p in record['periods']),
             f'/cases/{case["id"]}/sla-record: no response period')

    checks = c.request('GET', '/health-checks', token, expect=200).json['items']
    c.expect(checks, '/health-checks: li.na sees no health check')
    c.request('GET', '/health-checks?status=completed', token, expect=200)
    response = c.request('GET', f'/health-checks/{checks[0]["id"]}', token, expect=200)
    c.expect(response.header('ETag') == f'"{response.json["version"]}"', f'{response}: ETag is not the version')
    response = c.request('GET', f'/health-checks/{checks[0]["id"]}/items', token, expect=200)
    c.expect(response.header('ETag') == f'"{checks[0]["version"]}"', f'{response}: ETag is not the version')


def check_changes(c, token):
    entity = {
        'user': ['User', 'UserLimited'], 'customer': ['Customer'], 'calendar': ['Calendar'],
        'sla_policy': ['SlaPolicy'], 'checklist_template': ['ChecklistTemplate'], 'case': ['Case'],
        'case_event': ['CaseEvent'], 'sla_record': ['SlaRecord'], 'health_check': ['HealthCheck'],
        'contact': ['Contact'], 'notification': ['Notification'],
    }
    feed = c.request('GET', '/changes?limit=50', token, expect=200).json
    c.expect(len(feed['changes']) == 50 and feed['has_more'], '/changes?limit=50: not a full page with more')
    after, kinds, last = 0, set(), 0
    while True:
        feed = c.request('GET', f'/changes?after={after}&limit=500', token, expect=200).json
        for change in feed['changes']:
            c.expect(change['seq'] > last, f'/changes: seq {change["seq"]} is not increasing')
            last = change['seq']
            kinds.add(change['kind'])
            if change['deleted']:
                c.expect(change['entity'] is None, f'/changes: tombstone {change["id"]} has an entity')
                continue
            schemas = entity[change['kind']]
            results = [c.spec.errors(c.spec.schema(name), change['entity']) for name in schemas]
            if all(results):
                for error in closest(results):
                    where = f'/changes seq {change["seq"]} ({change["kind"]} as {"/".join(schemas)})'
                    for name, pattern in KNOWN_SCHEMA_ISSUES:
                        if pattern.search(error):
                            c.known_issue(name, f'{where}: {error}')
                            break
                    else:
                        c.fail(f'{where}: {error}')
            if change['kind'] == 'case':
                c.expect(change['entity']['sla'] is None,
                         f'/changes seq {change["seq"]}: the feed serves the stored case, without clocks')
            c.expect(change['entity'].get('id', change['entity'].get('tier')) == change['id'],
                     f'/changes seq {change["seq"]}: entity id is not {change["id"]}')
        c.expect(feed['next'] >= after, '/changes: next went backwards')
        after = feed['next']
        if not feed['has_more']:
            break
    c.expect({'user', 'customer', 'calendar', 'sla_policy', 'case', 'case_event', 'health_check'} <= kinds,
             f'/changes: only {sorted(kinds)}')


def check_errors(c, token, admin):
    response = c.request('GET', '/me', expect=401)
    c.expect(response.json.get('type') == 'urn:supportdesk:problem:unauthorized', f'{response}: problem type')
    c.request('GET', '/cases', 'not-a-token', expect=401)
    response = c.request('POST', '/auth/token', body={'login': 'li.na', 'password': 'wrong password'}, expect=401)
    c.expect(response.header('WWW-Authenticate') is None, f'{response}: WWW-Authenticate on a failed sign-in')
    c.request('POST', '/auth/token', body={'login': 'li.na'}, expect=400)
    c.request('POST', '/auth/token', body={'login': 'li.na', 'password': 'x', 'extra': 1}, expect=400)

    response = c.request('GET', f'/cases/{uuid.uuid4()}', token, expect=404)
    c.expect(response.json.get('type') == 'urn:supportdesk:problem:not-found', f'{response}: problem type')
    c.request('GET', '/no-such-thing', token, expect=404)
    c.request('PUT', '/cases', token, expect=405)
    c.request('DELETE', '/me', expect=405)
    response = c.request('GET', '/cases?limit=0', token, expect=400)
    c.expect(response.json.get('field') == 'limit', f'{response}: field is not “limit”')
    c.request('GET', '/cases?status=open', token, expect=400)
    c.request('GET', '/health-checks?status=open', token, expect=400)
    c.request('GET', '/changes?after=-1', token, expect=400)

    # Another customer's case is 404, not 403.
    visible = {cust['id'] for cust in c.request('GET', '/customers', token, expect=200).json['items']}
    others = [case for case in all_pages(c, '/cases', admin, 1000) if case['customer_id'] not in visible]
    c.expect(others, 'the demo has no case li.na may not see')
    if others:
        for path in (f'/cases/{others[0]["id"]}', f'/cases/{others[0]["id"]}/events',
                     f'/cases/{others[0]["id"]}/sla-record'):
            c.request('GET', path, token, expect=404)
        c.request('PATCH', f'/cases/{others[0]["id"]}', token, body={'title': 'x'},
                  headers={'If-Match': f'"{others[0]["version"]}"'}, expect=404)


def check_writes(c, token, me, admin):
    customer = c.request('GET', '/customers?limit=1', token, expect=200).json['items'][0]['id']
    key = str(uuid.uuid4())
    body = {'customer_id': customer, 'title': 'Agents stop updating', 'type': 'incident', 'severity': 2,
            'reported_at': '2026-02-14T06:00:00Z', 'reported_via': 'email'}
    created = c.request('POST', '/cases', token, body=body, headers={'Idempotency-Key': key}, expect=201)
    case = created.json
    c.expect(created.header('Location') == f'{c.spec.prefix}/cases/{case["id"]}', f'{created}: Location')
    c.expect(created.header('ETag') == '"1"' and case['version'] == 1, f'{created}: not version 1')
    again = c.request('POST', '/cases', token, body=body, headers={'Idempotency-Key': key}, expect=201)
    c.expect(again.json['id'] == case['id'], f'{again}: a repeated Idempotency-Key created another case')
    c.request('POST', '/cases', token, body=dict(body, title=' '), expect=400)
    c.request('POST', '/cases', token, body=dict(body, type='private_patch'), expect=400)
    c.request('POST', '/cases', token, body=dict(body, id=case['id']), expect=409)
    c.request('POST', '/cases', token, body=body, headers={'Content-Type': 'text/plain'}, expect=415)

    path = f'/cases/{case["id"]}'
    c.request('PATCH', path, token, body={'status': 'in_progress'}, expect=428)
    c.request('PATCH', path, token, body={'status': 'in_progress'}, headers={'If-Match': 'three'}, expect=400)
    stale = c.request('PATCH', path, token, body={'status': 'in_progress'}, headers={'If-Match': '"7"'}, expect=412)
    c.expect(stale.json.get('version') == 1 and stale.header('ETag') == '"1"', f'{stale}: not the current case')
    c.request('PATCH', path, token, body={'customer_id': 'cust-other'}, headers={'If-Match': '"1"'}, expect=400)
    updated = c.request('PATCH', path, token, headers={'If-Match': '"1"'},
                        body={'status': 'in_progress', 'reason': 'Collecting logs', 'sla': None,
                              'version': 40, 'assignee_id': me['id']}, expect=200)
    c.expect(updated.json['version'] == 2 and updated.json['status'] == 'in_progress'
             and updated.json['sla'] is not None, f'{updated}: not the updated case')
    updated = c.request('PATCH', path, token, headers={'If-Match': 'W/"2"'},
                        body={'assignee_id': None, 'severity': 1, 'reason': 'Two offices down'}, expect=200)
    c.expect(updated.json['assignee_id'] is None and updated.json['severity'] == 1,
             f'{updated}: null did not remove assignee_id')
    # The report time: corrected by an admin, with a reason.
    updated = c.request('PATCH', path, admin, headers={'If-Match': '"3"'},
                        body={'reported_at': '2026-02-14T05:55:00Z', 'reason': 'The first mail bounced'}, expect=200)
    c.expect(updated.json['reported_at'] == '2026-02-14T05:55:00Z', f'{updated}: reported_at did not change')

    comment = c.request('POST', f'{path}/events', token, body={'kind': 'comment', 'body': 'Called the IT lead.'},
                        headers={'Idempotency-Key': str(uuid.uuid4())}, expect=201)
    c.expect(comment.json['author_id'] == me['id'], f'{comment}: author_id is not the signed-in user')
    c.request('POST', f'{path}/events', token, expect=400,
              body={'kind': 'status_change', 'data': {'from': 'new', 'to': 'closed'}})
    c.request('POST', f'{path}/events', admin, expect=400,
              body={'kind': 'report_time_change',
                    'data': {'from': '2026-02-14T05:55:00Z', 'to': '2026-02-14T06:00:00Z', 'reason': 'By hand'}})
    response = c.request('POST', f'{path}/events', token, body={'kind': 'response_given', 'body': 'Workaround sent.'},
                         expect=201)
    events = c.request('GET', f'{path}/events', token, expect=200).json['items']
    # A case created while its TAM is off duty also says whom it went to
    # (the demo's customers have duty managers), depending on the hour.
    kinds = sorted(event['kind'] for event in events
                   if not (event['kind'] == 'comment' and (event.get('body') or '').startswith('Assigned to ')))
    c.expect(kinds == ['comment', 'report_time_change', 'response_given', 'severity_change', 'status_change'],
             f'{path}/events: {kinds}')
    status = next((e for e in events if e['kind'] == 'status_change'), {})
    c.expect(status.get('body') == 'Collecting logs', f'{path}/events: the reason is not on the status change')
    severity = next((e for e in events if e['kind'] == 'severity_change'), {})
    c.expect(severity.get('data', {}).get('reason') == 'Two offices down',
             f'{path}/events: the reason is not on the severity change')
    moved = next((e for e in events if e['kind'] == 'report_time_change'), {})
    c.expect(moved.get('data') == {'from': '2026-02-14T06:00:00Z', 'to': '2026-02-14T05:55:00Z',
                                   'reason': 'The first mail bounced'},
             f'{path}/events: the report time change says {moved.get("data")}')
    current = c.request('GET', path, token, expect=200).json
    c.expect(current['responded_at'] is not None, f'{path}: response_given did not set responded_at')

    # A customer with the certificate and no health check yet: one a contract year.
    entitled = [cust['id'] for cust in all_pages(c, '/customers', token, 1000) if cust['health_check_entitled']]
    taken = {hc['customer_id'] for hc in all_pages(c, '/health-checks', token, 1000) if hc['status'] != 'cancelled'}
    free = [cust for cust in entitled if cust not in taken]
    c.expect(free, 'the demo has no entitled customer without a health check for li.na')
    check = {'customer_id': free[0] if free else customer, 'status': 'requested', 'requested_at': '2026-03-02T02:00:00Z',
             'mode': 'remote', 'template_id': 'endpoint-security', 'template_version': 1,
             'items': [{'key': 'UPD-03', 'area': 'Updates', 'title': 'Databases are current',
                        'expected': 'Hourly', 'result': 'not_checked'}]}
    created = c.request('POST', '/health-checks', token, body=check, expect=201)
    path = f'/health-checks/{created.json["id"]}'
    updated = c.request('PATCH', f'{path}/items/UPD-03', token, body={'result': 'pass', 'observed': 'Every 30 minutes'},
                        headers={'If-Match': '"1"'}, expect=200)
    c.expect(updated.json['score'] == 1.0, f'{updated}: score is not 1')
    c.request('PATCH', f'{path}/items/XX-99', token, body={'result': 'pass'}, headers={'If-Match': '"2"'}, expect=404)
    c.request('PATCH', path, token, body={'notes': 'Jump host'}, headers={'If-Match': '"1"'}, expect=412)
    # Three weeks from today (the lead counts from receipt), on a working
    # day of the customer's calendar: the first weekday that is not a holiday.
    day = datetime.date.today() + datetime.timedelta(days=21)
    for _ in range(14):
        if day.weekday() < 5:
            tried = c.request('PATCH', path, token, body={'status': 'scheduled', 'scheduled_on': day.isoformat()},
                              headers={'If-Match': '"2"'})
            if tried.status == 200 or 'working day' not in tried.raw.decode('utf-8', 'replace'):
                break
        day += datetime.timedelta(days=1)
    c.expect(tried.status == 200, f'{tried}: expected 200')
    c.request('DELETE', path, token, headers={'If-Match': '"3"'}, expect=409)
    c.request('PATCH', path, token, body={'status': 'cancelled'}, headers={'If-Match': '"3"'}, expect=200)
    c.request('DELETE', path, token, expect=428)
    c.request('DELETE', path, token, headers={'If-Match': '"3"'}, expect=412)
    c.request('DELETE', path, token, headers={'If-Match': '"4"'}, expect=204)
    c.request('GET', path, token, expect=404)

    c.request('DELETE', '/auth/token', token, expect=204)
    c.request('GET', '/me', token, expect=401)


def check_visibility(c, admin):
    """A TAM sees the customers they manage (DESIGN §4)."""
    customers = all_pages(c, '/customers', admin, 1000)
    token, me = sign_in(c, 'anna.schmidt')
    managed = sorted(cust['id'] for cust in customers if cust['tam_id'] == me['id'])
    seen = sorted(cust['id'] for cust in all_pages(c, '/customers', token, 1000))
    c.expect(managed, 'the demo has no customer for anna.schmidt')
    c.expect(seen == managed, f'anna.schmidt manages {managed} but sees {seen}')


def check_audit(c, admin):
    """The audit log: admins page through it, one entity's entries, 403 for a TAM."""
    token, _ = sign_in(c, 'li.na')
    page = c.request('GET', '/audit?limit=3', admin, expect=200).json
    c.expect(len(page['items']) == 3 and page['next_cursor'] is not None,
             '/audit?limit=3: three entries and a cursor expected after the demo writes')
    following = c.request('GET', f'/audit?limit=3&cursor={page["next_cursor"]}', admin, expect=200).json
    c.expect(following['items'] and following['items'][0]['seq'] > page['items'][-1]['seq'],
             '/audit: the next page does not follow the first')
    written = c.request('GET', '/cases?limit=1', token, expect=200).json['items'][0]
    history = c.request('GET', f'/audit?entity=case/{written["id"]}', admin, expect=200).json['items']
    c.expect(history and all(e['kind'] == 'case' and e['entity_id'] == written['id'] for e in history),
             '/audit?entity=case/ID: not that case\'s entries')
    c.request('GET', '/audit?entity=case', admin, expect=400)
    c.request('GET', '/audit', token, expect=403)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    spec = Spec(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix='sd-api-') as directory:
        process, host, port, base = start_server(sys.argv[2], directory)
        try:
            if base.rstrip('/') != spec.prefix:
                print(f'FAIL: the server serves {base}, the spec {spec.prefix}')
                return 1
            c = Checker(spec, host, port)
            admin, _ = sign_in(c, 'admin')
            token, me = sign_in(c, 'li.na')
            check_reads(c, token, me)
            check_changes(c, token)
            check_errors(c, token, admin)
            check_visibility(c, admin)
            check_writes(c, token, me, admin)
            check_audit(c, admin)
        except Exception:
            with open(os.path.join(directory, 'server.log'), encoding='utf-8', errors='replace') as log:
                sys.stderr.write('--- server log (tail)\n' + ''.join(log.readlines()[-30:]))
            raise
        finally:
            stop_server(process)

    for name in dict.fromkeys(known for known, _ in c.known):
        print(f'KNOWN SERVER ISSUE seen {sum(1 for k, _ in c.known if k == name)} time(s): {name}')
    print(f'{c.checked} responses checked against {sys.argv[1]}; '
          f'{len(c.failures)} failure(s), {len(c.known)} known server issue(s)')
    return 1 if c.failures else 0


if __name__ == '__main__':
    sys.exit(main())
