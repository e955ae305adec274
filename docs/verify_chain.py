#!/usr/bin/env python3
"""Independent verifier of Red Mud Ledger's event hash chain (encoding version 1).

Written from docs/event-format.md, with the Python 3 standard library only; the section numbers
in the comments refer to that document.

    verify_chain.py --vector                 print the worked example's hash (§9)
    verify_chain.py FILE|-                   verify NDJSON export lines (§10), print the first failure
        [--head-position N --head-hash HEX]  the head record (§6), when known
        [--after P --after-hash HEX --after-time MICROS]   range verification from a trusted point
        [--json]                             print the report as JSON
    verify_chain.py --canonical              read JSON on stdin, print its canonical form (§3)
    verify_chain.py --self-test              check this file against the examples of the spec

Exit status: 0 intact (or a mode that succeeded), 1 damage found, 2 unusable input.
"""

import argparse
import hashlib
import json
import re
import struct
import sys

# ---------------------------------------------------------------------------------------------
# §3 Canonical JSON

MAX_DEPTH = 64
I64_MIN = -(2**63)
U64_MAX = 2**64 - 1


class NotCanonical(ValueError):
    """A value that has no canonical JSON form (§3)."""


class _Integer(int):
    """An int parsed from JSON text without fraction or exponent (see parse_json)."""


def _parse_int(text):
    if text == "-0":
        raise NotCanonical("-0 is not allowed")
    return _Integer(text)


def _parse_float(text):
    raise NotCanonical(f"number {text} has a fraction or an exponent")


def _parse_constant(text):
    raise NotCanonical(f"{text} is not JSON")


def parse_json(text):
    """Parses JSON text the way §3.5 describes: duplicate member names keep the last value,
    numbers with a fraction or an exponent, and -0, are refused."""
    return json.loads(
        text,
        parse_int=_parse_int,
        parse_float=_parse_float,
        parse_constant=_parse_constant,
    )


_SHORT_ESCAPES = {
    0x22: '\\"',
    0x5C: "\\\\",
    0x08: "\\b",
    0x0C: "\\f",
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
}


def _string(s):
    out = ['"']
    for ch in s:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise NotCanonical("strings must not contain lone surrogates")
        if code in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[code])
        elif code < 0x20:
            out.append("\\u%04x" % code)  # \u00XX, lowercase hex
        else:
            out.append(ch)  # raw (UTF-8 when encoded): '/', DEL, U+2028, non-ASCII…
    out.append('"')
    return "".join(out)


def _value(v, depth, out):
    if depth > MAX_DEPTH:
        raise NotCanonical(f"nests deeper than {MAX_DEPTH} levels")
    if v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, int):
        if not I64_MIN <= v <= U64_MAX:
            raise NotCanonical(f"integer {v} is outside -2^63 … 2^64-1")
        out.append(str(int(v)))
    elif isinstance(v, float):
        raise NotCanonical(f"number {v!r} is not an integer")
    elif isinstance(v, str):
        out.append(_string(v))
    elif isinstance(v, (list, tuple)):
        out.append("[")
        for i, item in enumerate(v):
            if i:
                out.append(",")
            _value(item, depth + 1, out)
        out.append("]")
    elif isinstance(v, dict):
        for key in v:
            if not isinstance(key, str):
                raise NotCanonical("object keys must be strings")
        out.append("{")
        for i, key in enumerate(sorted(v, key=lambda k: k.encode("utf-8", "surrogatepass"))):
            if i:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _value(v[key], depth + 1, out)
        out.append("}")
    else:
        raise NotCanonical(f"{type(v).__name__} is not a JSON value")


def canonical_json(value):
    """The canonical JSON text (§3) of a parsed JSON value."""
    out = []
    _value(value, 0, out)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# §4 Canonical event encoding

TAG = b"RMLEVT01"
GENESIS = bytes(32)
_UUID_TEXT = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _int(value, name, lo, hi):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{name} = {value} is out of range {lo} … {hi}")
    return value


def _u32(value, name):
    return struct.pack(">I", _int(value, name, 0, 2**32 - 1))


def _u64(value, name):
    return struct.pack(">Q", _int(value, name, 0, 2**64 - 1))


def _i64(value, name):
    return struct.pack(">q", _int(value, name, -(2**63), 2**63 - 1))


def _str(value, name):
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {value!r}")
    data = value.encode("utf-8")  # strict: a lone surrogate cannot be encoded
    if len(data) >= 2**32:
        raise ValueError(f"{name} is too long to encode")
    return struct.pack(">I", len(data)) + data


def _uuid(value, name):
    if isinstance(value, (bytes, bytearray)) and len(value) == 16:
        return bytes(value)
    if not isinstance(value, str) or not _UUID_TEXT.match(value):
        raise ValueError(f"{name} must be a UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got {value!r}")
    return bytes.fromhex(value.replace("-", ""))  # RFC 4122 order: the hex digits left to right


def _opt(value, name, put):
    if value is None:
        return b"\x00"
    return b"\x01" + put(value, name)


def encode_event(event):
    """The canonical encoding (§4.2) of an event given as a dict with the field names of §2.1.
    Optional fields may be missing or None. `payload` is the stored canonical JSON text."""
    get = event.get
    return b"".join(
        [
            TAG,
            _u64(event["position"], "position"),
            _str(event["stream"], "stream"),
            _u64(event["version"], "version"),
            _uuid(event["event_id"], "event_id"),
            _str(event["event_type"], "event_type"),
            _u32(event["schema_version"], "schema_version"),
            _i64(event["recorded_at"], "recorded_at"),
            _opt(get("effective"), "effective", _str),
            _str(event["payload"], "payload"),
            _str(event["actor_id"], "actor_id"),
            _str(event["actor_role"], "actor_role"),
            _str(event["organisation"], "organisation"),
            _opt(get("reason"), "reason", _str),
            _opt(get("correlation_id"), "correlation_id", _uuid),
            _opt(get("causation_id"), "causation_id", _uuid),
            _opt(get("idempotency_key"), "idempotency_key", _str),
        ]
    )


# ---------------------------------------------------------------------------------------------
# §5 The hash chain


def chain_hash(previous, event):
    """hash_n = SHA-256(hash_{n-1} ‖ encoding(event_n))."""
    if len(previous) != 32:
        raise ValueError("a previous hash has 32 bytes")
    return hashlib.sha256(previous + encode_event(event)).digest()


def chain(events, previous=GENESIS):
    """The hashes of consecutive events, starting from `previous` (GENESIS by default)."""
    hashes = []
    for event in events:
        previous = chain_hash(previous, event)
        hashes.append(previous)
    return hashes


# ---------------------------------------------------------------------------------------------
# §7 Verification


class Verifier:
    """Feed events in the order read (§7.1), then call finish()."""

    def __init__(self, after_position=0, after_hash=GENESIS, after_time=None):
        self.expected_position = after_position + 1
        self.prev_hash = after_hash
        self.prev_stored_hash = after_hash
        self.prev_time = after_time  # None: below every i64 (−∞)
        self.last_version = {}
        self.suspect = None
        self.failure = None
        self.checked = 0
        self.from_genesis = after_position == 0

    def _fail(self, position, kind, **details):
        self.failure = {"position": position, "kind": kind, **details}

    def check(self, e):
        if self.failure is not None:
            return
        # 1. Missing
        if e["position"] != self.expected_position:
            if self.suspect is not None:
                self._fail(self.suspect, "hash_mismatch")
                return
            self._fail(
                self.expected_position,
                "missing",
                expected_position=self.expected_position,
                found_position=e["position"],
            )
            return
        # 2.
        h = chain_hash(self.prev_hash, e)
        stored = e["hash"]
        # 3. Resolve a suspect
        if self.suspect is not None:
            if h == stored:
                kind = "hash_rewritten"
            elif chain_hash(self.prev_stored_hash, e) == stored:
                kind = "content_altered"
            else:
                kind = "hash_mismatch"
            self._fail(self.suspect, kind)
            return
        # 4. Time
        if self.prev_time is not None and e["recorded_at"] < self.prev_time:
            self._fail(
                e["position"],
                "time_went_backwards",
                previous_micros=self.prev_time,
                found_micros=e["recorded_at"],
            )
            return
        # 5. Version
        stream = e["stream"]
        if stream in self.last_version and e["version"] != self.last_version[stream] + 1:
            self._fail(
                e["position"],
                "version_out_of_order",
                stream=stream,
                expected_version=self.last_version[stream] + 1,
                found_version=e["version"],
            )
            return
        if stream not in self.last_version and self.from_genesis and e["version"] != 1:
            self._fail(
                e["position"],
                "version_out_of_order",
                stream=stream,
                expected_version=1,
                found_version=e["version"],
            )
            return
        self.last_version[stream] = e["version"]
        # 6. Hash: judged at the next event
        if h != stored:
            self.suspect = e["position"]
        # 7.
        self.checked += 1
        self.expected_position += 1
        self.prev_hash = h
        self.prev_stored_hash = stored
        self.prev_time = e["recorded_at"]

    def finish(self, head=None):
        """`head`: (position, 32-byte hash) of the head record, or None when unknown."""
        # 8.
        if self.failure is None and self.suspect is not None:
            # The last event: the head record plays the part of its successor.
            kind = "hash_mismatch"
            if head is not None and head[0] == self.suspect:
                if head[1] == self.prev_stored_hash:
                    kind = "content_altered"
                elif head[1] == self.prev_hash:
                    kind = "hash_rewritten"
            self._fail(self.suspect, kind)
        # 9.
        last_position = self.expected_position - 1
        # 10. Head
        if self.failure is None and head is not None:
            head_position, head_hash = head
            if head_position != last_position or (last_position > 0 and head_hash != self.prev_hash):
                self._fail(
                    min(last_position, head_position) + 1,
                    "head_mismatch",
                    head_position=head_position,
                    last_position=last_position,
                )
        return {
            "checked": self.checked,
            "last_position": last_position,
            "last_hash": self.prev_hash.hex(),
            "first_failure": self.failure,
        }


# ---------------------------------------------------------------------------------------------
# §10 Export lines

_INT_FIELDS = ("position", "version", "schema_version", "recorded_at")
_STR_FIELDS = ("stream", "event_type", "payload", "actor_id", "actor_role", "organisation")
_OPT_STR_FIELDS = ("effective", "reason", "idempotency_key")
_OPT_UUID_FIELDS = ("correlation_id", "causation_id")
_HEX32 = re.compile(r"^[0-9a-f]{64}$")


class BadInput(ValueError):
    pass


def parse_hash(text, what):
    if not isinstance(text, str) or not _HEX32.match(text):
        raise BadInput(f"{what} must be 64 lowercase hex digits, got {text!r}")
    return bytes.fromhex(text)


def read_export_line(line, number):
    """An event dict from one NDJSON export line (§10); raises BadInput."""
    try:
        obj = json.loads(line)
    except ValueError as error:
        raise BadInput(f"line {number}: not JSON: {error}") from None
    if not isinstance(obj, dict):
        raise BadInput(f"line {number}: not a JSON object")
    event = {}
    try:
        for name in _INT_FIELDS:
            event[name] = obj[name]
        for name in _STR_FIELDS:
            event[name] = obj[name]
        event["event_id"] = obj["event_id"]
        for name in _OPT_STR_FIELDS + _OPT_UUID_FIELDS:
            event[name] = obj.get(name)
        event["hash"] = parse_hash(obj["hash"], "hash")
        encode_event(event)  # types, ranges and UUID forms
        _int(event["position"], "position", 1, 2**64 - 1)
    except KeyError as error:
        raise BadInput(f"line {number}: member {error.args[0]} is missing") from None
    except (ValueError, UnicodeEncodeError) as error:
        raise BadInput(f"line {number}: {error}") from None
    return event


def verify_lines(lines, head=None, after=(0, GENESIS, None)):
    verifier = Verifier(*after)
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        verifier.check(read_export_line(line, number))
        if verifier.failure is not None:
            break
    return verifier.finish(head)


def describe(report):
    failure = report["first_failure"]
    if failure is None:
        return "intact: {} events checked, last position {}, last hash {}".format(
            report["checked"], report["last_position"], report["last_hash"]
        )
    details = ", ".join(f"{k}={v}" for k, v in failure.items() if k not in ("position", "kind"))
    return "FIRST FAILURE at position {}: {}{}".format(
        failure["position"], failure["kind"], f" ({details})" if details else ""
    )


# ---------------------------------------------------------------------------------------------
# §9 The worked example

EXAMPLE = {
    "position": 1,
    "stream": "enterprise-0190f5a0-0000-7000-8000-0000000000aa",
    "version": 1,
    "event_id": "0190f5a0-0000-7000-8000-000000000001",
    "event_type": "EnterpriseRegistered",
    "schema_version": 1,
    "recorded_at": 1767225600000000,
    "effective": "2026-Q1",
    "payload": '{"name":"示例氧化铝厂"}',
    "actor_id": "guiyang",
    "actor_role": "bureau",
    "organisation": "520100",
    "reason": None,
    "correlation_id": None,
    "causation_id": None,
    "idempotency_key": None,
}
EXAMPLE_HASH = "902af2adb2c3ac648f67d813124e4d6326f1084eff7e5ffb948f82ffdadac7d6"


def self_test():
    enc = encode_event(EXAMPLE)
    assert len(enc) == 207, len(enc)
    assert enc[:8] == b"RMLEVT01" and enc[119:127].hex() == "0006474846204000"
    assert chain_hash(GENESIS, EXAMPLE).hex() == EXAMPLE_HASH
    c = canonical_json
    assert c(parse_json('{"b": 1, "a": [true, null, "x"], "é": {"z": -3, "A": 0}}')) == (
        '{"a":[true,null,"x"],"b":1,"é":{"A":0,"z":-3}}'
    )
    assert c('q"b\\n\n\x01\x7f中') == '"q\\"b\\\\n\\n\\u0001\x7f中"'
    assert c("\x08\x0c\t\r\x1f/\u2028") == '"\\b\\f\\t\\r\\u001f/\u2028"'
    assert c(parse_json('{"a":1,"a":2}')) == '{"a":2}'
    assert c(2**64 - 1) == "18446744073709551615" and c(-(2**63)) == "-9223372036854775808"
    for bad in ("1.0", "1e2", "-0", "18446744073709551616", "-9223372036854775809", "NaN"):
        try:
            c(parse_json(bad))
        except NotCanonical:
            pass
        else:
            raise AssertionError(f"{bad} accepted")
    deep = 0
    for _ in range(MAX_DEPTH):
        deep = [deep]
    c(deep)  # a scalar at depth 64
    try:
        c([deep])
    except NotCanonical:
        pass
    else:
        raise AssertionError("depth 65 accepted")
    empty = []
    for _ in range(MAX_DEPTH):
        empty = [empty]
    c(empty)  # 65 nested brackets, innermost empty: every value at depth ≤ 64
    # A small chain: intact, then each kind of damage.
    events = []
    prev = GENESIS
    for i in range(1, 7):
        e = dict(EXAMPLE, position=i, version=(i + 1) // 2, recorded_at=EXAMPLE["recorded_at"] + i)
        e["stream"] = "enterprise-a" if i % 2 else "project-b"
        e["reason"] = "r" if i == 3 else None
        e["correlation_id"] = "0190f5a0-0000-7000-8000-00000000000%d" % i if i % 3 == 0 else None
        prev = e["hash"] = chain_hash(prev, e)
        events.append(e)
    head = (6, events[-1]["hash"])

    def run(evs, head=head):
        v = Verifier()
        for e in evs:
            v.check(e)
        return v.finish(head)["first_failure"]

    assert run(events) is None
    alt = [dict(e) for e in events]
    alt[2]["payload"] = '{"name":"x"}'
    assert run(alt) == {"position": 3, "kind": "content_altered"}
    alt = [dict(e) for e in events]
    alt[2]["hash"] = bytes(32)
    assert run(alt) == {"position": 3, "kind": "hash_rewritten"}
    alt = [dict(e) for e in events]
    alt[5]["actor_id"] = "x"
    # The last event: the head tells content from hash damage; without a head it cannot be told.
    assert run(alt) == {"position": 6, "kind": "content_altered"}
    assert run(alt, None) == {"position": 6, "kind": "hash_mismatch"}
    assert run(events[:3] + events[4:])["kind"] == "missing"
    assert run(events[:4]) == {"position": 5, "kind": "head_mismatch", "head_position": 6, "last_position": 4}
    alt = [dict(e) for e in events]
    alt[3]["recorded_at"] = 0
    assert run(alt)["kind"] == "time_went_backwards"
    alt = [dict(e) for e in events]
    alt[4]["version"] = 7
    assert run(alt) == {
        "position": 5,
        "kind": "version_out_of_order",
        "stream": "enterprise-a",
        "expected_version": 3,
        "found_version": 7,
    }
    print("self-test passed")


# ---------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="NDJSON export lines (§10); '-' for stdin")
    parser.add_argument("--vector", action="store_true", help="print the worked example's hash")
    parser.add_argument("--canonical", action="store_true", help="canonicalise JSON from stdin")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--head-position", type=int)
    parser.add_argument("--head-hash")
    parser.add_argument("--after", type=int, default=0, help="trusted position to start after")
    parser.add_argument("--after-hash", help="hash at --after (hex)")
    parser.add_argument("--after-time", type=int, help="recorded_at at --after (microseconds)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    if args.vector:
        print(chain_hash(GENESIS, EXAMPLE).hex())
        return 0
    if args.self_test:
        self_test()
        return 0
    if args.canonical:
        try:
            sys.stdout.write(canonical_json(parse_json(sys.stdin.buffer.read().decode("utf-8"))) + "\n")
        except (ValueError, RecursionError) as error:
            print(f"not canonicalisable: {error}", file=sys.stderr)
            return 2
        return 0
    if args.file is None:
        parser.error("give an NDJSON file, or --vector, --canonical or --self-test")
    try:
        head = None
        if args.head_position is not None or args.head_hash is not None:
            if args.head_position is None or args.head_hash is None:
                raise BadInput("--head-position and --head-hash go together")
            head = (args.head_position, parse_hash(args.head_hash, "--head-hash"))
        after = (0, GENESIS, None)
        if args.after:
            if args.after_hash is None or args.after_time is None:
                raise BadInput("--after needs --after-hash and --after-time")
            after = (args.after, parse_hash(args.after_hash, "--after-hash"), args.after_time)
        # Binary lines split on LF only (U+2028 and friends may occur raw inside JSON strings).
        if args.file == "-":
            report = verify_lines((raw.decode("utf-8") for raw in sys.stdin.buffer), head, after)
        else:
            with open(args.file, "rb") as f:
                report = verify_lines((raw.decode("utf-8") for raw in f), head, after)
    except (BadInput, OSError, UnicodeDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report, ensure_ascii=False) if args.json else describe(report))
    return 0 if report["first_failure"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
