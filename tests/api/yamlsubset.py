# SPDX-License-Identifier: GPL-3.0-or-later
"""A reader for the subset of YAML that docs/api/openapi.yaml is written in.

Block mappings and sequences by indentation (spaces only), `- key: value`
sequence items, flow sequences of scalars (`[a, 'b', null]`), literal block
scalars (`|`), single- and double-quoted scalars, plain scalars (null, true,
false, integers, floats, strings) and full-line comments. Anything else
raises YamlError with the line number, rather than being misread.
"""

import json
import re

__all__ = ['YamlError', 'load']


class YamlError(Exception):
    pass


_INT = re.compile(r'^[-+]?[0-9]+$')
_FLOAT = re.compile(r'^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$')


class _Line:
    __slots__ = ('number', 'indent', 'text', 'raw')

    def __init__(self, number, raw):
        self.number = number
        self.raw = raw
        self.indent = len(raw) - len(raw.lstrip(' '))
        self.text = raw.strip()


def _scalar(text, number):
    text = text.strip()
    if text == '':
        return None
    if text[0] == "'":
        if len(text) < 2 or text[-1] != "'":
            raise YamlError(f'line {number}: unterminated single-quoted scalar')
        return text[1:-1].replace("''", "'")
    if text[0] == '"':
        if len(text) < 2 or text[-1] != '"':
            raise YamlError(f'line {number}: unterminated double-quoted scalar')
        try:
            return json.loads(text)
        except ValueError as error:
            raise YamlError(f'line {number}: unsupported double-quoted scalar: {error}') from None
    if text[0] == '[':
        return _flow_sequence(text, number)
    if text[0] in '{&*!%@`>':
        raise YamlError(f'line {number}: unsupported YAML construct “{text}”')
    if ' #' in text:
        text = text[:text.index(' #')].rstrip()
    if text in ('null', '~', 'Null', 'NULL'):
        return None
    if text in ('true', 'True', 'TRUE'):
        return True
    if text in ('false', 'False', 'FALSE'):
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if re.match(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}', text):
        raise YamlError(f'line {number}: quote the date “{text}” (YAML would read it as a date)')
    if ': ' in text or text.endswith(':'):
        raise YamlError(f'line {number}: quote “{text}” (it contains “: ”)')
    return text


def _flow_sequence(text, number):
    if not text.endswith(']'):
        raise YamlError(f'line {number}: unsupported flow sequence “{text}”')
    inner = text[1:-1].strip()
    if not inner:
        return []
    items, current, quote = [], '', None
    for char in inner:
        if quote:
            current += char
            if char == quote:
                quote = None
        elif char in '\'"':
            quote = char
            current += char
        elif char == ',':
            items.append(current)
            current = ''
        elif char in '[]{}':
            raise YamlError(f'line {number}: nested flow collections are not supported')
        else:
            current += char
    items.append(current)
    return [_scalar(item, number) for item in items]


def _split_key(text, number):
    """Splits `key: value` / `key:`; returns (key, rest) or None."""
    if text[0] in '\'"':
        end = text.find(text[0], 1)
        if end < 0:
            raise YamlError(f'line {number}: unterminated quoted key')
        key = text[1:end]
        rest = text[end + 1:]
        if not rest.startswith(':'):
            return None
        return key, rest[1:].strip()
    match = re.match(r'^([^\s:#\'"][^:]*?):(\s+(.*))?$', text)
    if not match:
        return None
    return match.group(1), (match.group(3) or '').strip()


class _Parser:
    def __init__(self, text):
        self.lines = []
        for number, raw in enumerate(text.split('\n'), 1):
            if '\t' in raw[:len(raw) - len(raw.lstrip())]:
                raise YamlError(f'line {number}: tab in indentation')
            self.lines.append(_Line(number, raw.rstrip()))
        self.pos = 0

    def _skip(self):
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if line.text and not line.text.startswith('#'):
                return line
            self.pos += 1
        return None

    def parse(self):
        line = self._skip()
        if line is None:
            return None
        value = self._node(line.indent)
        if self._skip() is not None:
            line = self._skip()
            raise YamlError(f'line {line.number}: unexpected indentation')
        return value

    def _node(self, indent):
        line = self._skip()
        if line.text.startswith('- ') or line.text == '-':
            return self._sequence(indent)
        return self._mapping(indent)

    def _block_scalar(self, parent_indent, number, style):
        if style not in ('|', '|-'):
            raise YamlError(f'line {number}: unsupported block scalar “{style}”')
        collected = []
        block_indent = None
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if line.text == '':
                collected.append('')
                self.pos += 1
                continue
            if line.indent <= parent_indent:
                break
            if block_indent is None:
                block_indent = line.indent
            if line.indent < block_indent:
                raise YamlError(f'line {line.number}: bad indentation in a block scalar')
            collected.append(line.raw[block_indent:])
            self.pos += 1
        while collected and collected[-1] == '':
            collected.pop()
        text = '\n'.join(collected)
        return text if style == '|-' else text + '\n'

    def _value(self, rest, indent, number):
        """The value after `key:` or `- `, with children deeper than indent."""
        if rest in ('|', '|-', '>', '>-'):
            return self._block_scalar(indent, number, rest)
        if rest != '':
            value = _scalar(rest, number)
            following = self._skip()
            if following is not None and following.indent > indent:
                raise YamlError(f'line {following.number}: multi-line plain scalars are not supported; use |')
            return value
        following = self._skip()
        if following is None or following.indent <= indent:
            if following is not None and following.indent == indent and following.text.startswith('- '):
                return self._sequence(indent)
            return None
        return self._node(following.indent)

    def _mapping(self, indent):
        result = {}
        while True:
            line = self._skip()
            if line is None or line.indent < indent:
                return result
            if line.indent > indent:
                raise YamlError(f'line {line.number}: unexpected indentation')
            if line.text.startswith('- '):
                return result
            split = _split_key(line.text, line.number)
            if split is None:
                raise YamlError(f'line {line.number}: expected “key: value”, found “{line.text}”')
            key, rest = split
            if key in result:
                raise YamlError(f'line {line.number}: duplicate key “{key}”')
            self.pos += 1
            result[key] = self._value(rest, indent, line.number)

    def _sequence(self, indent):
        result = []
        while True:
            line = self._skip()
            if line is None or line.indent != indent or not (line.text.startswith('- ') or line.text == '-'):
                if line is not None and line.indent > indent:
                    raise YamlError(f'line {line.number}: unexpected indentation')
                return result
            item = line.text[2:].strip() if line.text != '-' else ''
            item_indent = indent + 2
            if item and item[0] != '[' and _split_key(item, line.number) is not None:
                # `- key: value` opens a mapping whose keys sit at item_indent.
                self.lines[self.pos] = _Line(line.number, ' ' * item_indent + item)
                result.append(self._mapping(item_indent))
            else:
                self.pos += 1
                result.append(self._value(item, indent, line.number))


def load(text):
    return _Parser(text).parse()
