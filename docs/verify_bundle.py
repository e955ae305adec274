#!/usr/bin/env python3
"""Verify a Red Mud Ledger evidence bundle offline.

Written from docs/evidence-bundle.md and docs/event-format.md alone: the Python 3 standard library
plus the `cryptography` package for Ed25519 (`pip install cryptography`).

    verify_bundle.py BUNDLE [--public-key HEX] [--json]

Exit status 0 when the bundle is intact, 1 when it is not, 2 on a usage error.
"""

import argparse
import hashlib
import json
import struct
import sys
import uuid

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - the test requires the package
    sys.stderr.write("verify_bundle.py needs the `cryptography` package (pip install cryptography)\n")
    sys.exit(3)

FORMAT = "redmud-evidence-bundle/1"
GENESIS = bytes(32)
TAG = b"RMLEVT01"
CHECKPOINT_TAG = b"RMLCKP01"
MINUS_INFINITY = -(2**63) - 1  # below any i64


class Malformed(Exception):
    def __init__(self, line, detail):
        super().__init__(detail)
        self.line = line
        self.detail = detail


# --- event-format.md §4: the canonical encoding -------------------------------------------------

def enc_str(text):
    data = text.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def enc_opt_str(text):
    return b"\x00" if text is None else b"\x01" + enc_str(text)


def enc_uuid(text):
    return uuid.UUID(text).bytes


def enc_opt_uuid(text):
    return b"\x00" if text is None else b"\x01" + enc_uuid(text)


def encoding(e):
    return b"".join([
        TAG,
        struct.pack(">Q", e["position"]),
        enc_str(e["stream"]),
        struct.pack(">Q", e["version"]),
        enc_uuid(e["event_id"]),
        enc_str(e["event_type"]),
        struct.pack(">I", e["schema_version"]),
        struct.pack(">q", e["recorded_at"]),
        enc_opt_str(e.get("effective")),
        enc_str(e["payload"]),
        enc_str(e["actor_id"]),
        enc_str(e["actor_role"]),
        enc_str(e["organisation"]),
        enc_opt_str(e.get("reason")),
        enc_opt_uuid(e.get("correlation_id")),
        enc_opt_uuid(e.get("causation_id")),
        enc_opt_str(e.get("idempotency_key")),
    ])


def chain(prev, e):
    return hashlib.sha256(prev + encoding(e)).digest()


# --- event-format.md §7.1: the verification procedure -------------------------------------------

def verify_chain(events, start_pos, start_hash, start_time, head):
    expected = start_pos + 1
    prev = start_hash
    prev_stored = start_hash
    prev_time = start_time
    last_version = {}
    suspect = None
    checked = 0
    failure = None
    for e in events:
        pos = e["position"]
        if pos != expected:
            if suspect is not None:
                failure = {"position": suspect, "kind": "hash_mismatch"}
            else:
                failure = {"position": expected, "kind": "missing",
                           "expected_position": expected, "found_position": pos}
            break
        stored = bytes.fromhex(e["hash"])
        h = chain(prev, e)
        if suspect is not None:
            if h == stored:
                kind = "hash_rewritten"
            elif chain(prev_stored, e) == stored:
                kind = "content_altered"
            else:
                kind = "hash_mismatch"
            failure = {"position": suspect, "kind": kind}
            break
        if e["recorded_at"] < prev_time:
            failure = {"position": pos, "kind": "time_went_backwards",
                       "previous_micros": prev_time, "found_micros": e["recorded_at"]}
            break
        stream = e["stream"]
        if stream in last_version and e["version"] != last_version[stream] + 1:
            failure = {"position": pos, "kind": "version_out_of_order", "stream": stream,
                       "expected_version": last_version[stream] + 1, "found_version": e["version"]}
            break
        if stream not in last_version and start_pos == 0 and e["version"] != 1:
            failure = {"position": pos, "kind": "version_out_of_order", "stream": stream,
                       "expected_version": 1, "found_version": e["version"]}
            break
        last_version[stream] = e["version"]
        if h != stored:
            suspect = pos
        checked += 1
        expected += 1
        prev = h
        prev_stored = stored
        prev_time = e["recorded_at"]
    if failure is None and suspect is not None:
        head_pos, head_hash = head
        if head_pos == suspect and head_hash == prev_stored:
            kind = "content_altered"
        elif head_pos == suspect and head_hash == prev:
            kind = "hash_rewritten"
        else:
            kind = "hash_mismatch"
        failure = {"position": suspect, "kind": kind}
    last = expected - 1
    if failure is None:
        head_pos, head_hash = head
        if head_pos != last or (last > 0 and head_hash != prev):
            failure = {"position": min(last, head_pos) + 1, "kind": "head_mismatch",
                       "head_position": head_pos, "last_position": last}
    return checked, prev.hex(), failure


# --- evidence-bundle.md §2: reading the file -----------------------------------------------------

def read_bundle(text):
    manifest = None
    events = []
    checkpoints = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as error:
            raise Malformed(number, str(error))
        if not isinstance(obj, dict):
            raise Malformed(number, "not an object")
        kind = obj.get("kind")
        if kind == "manifest" and manifest is None:
            if obj.get("format") != FORMAT:
                raise Malformed(number, "format %r" % obj.get("format"))
            manifest = obj
        elif kind == "event" and manifest is not None:
            events.append(obj)
        elif kind == "checkpoint" and manifest is not None:
            checkpoints.append(obj)
        else:
            raise Malformed(number, "unexpected line of kind %r" % kind)
    if manifest is None:
        raise Malformed(1, "no manifest")
    return manifest, events, checkpoints


def hex_bytes(text, size):
    try:
        data = bytes.fromhex(text)
    except (TypeError, ValueError):
        return None
    return data if len(data) == size else None


def checkpoint_valid(key, c):
    digest = hex_bytes(c.get("hash"), 32)
    signature = hex_bytes(c.get("signature"), 64)
    if digest is None or signature is None:
        return False
    message = (CHECKPOINT_TAG + struct.pack(">Q", c["position"]) + digest
               + struct.pack(">q", c["recorded_at"]) + struct.pack(">q", c["signed_at"]))
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


# --- evidence-bundle.md §4: the procedure --------------------------------------------------------

def verify_bundle(text, trusted_key=None):
    try:
        manifest, events, checkpoints = read_bundle(text)
    except Malformed as error:
        return {"intact": False, "from": 0, "to": 0, "checked": 0, "last_hash": "",
                "valid_checkpoints": 0, "public_key": "",
                "first_failure": {"position": 0, "kind": "malformed", "line": error.line,
                                  "detail": error.detail}}
    candidates = []
    public_hex = manifest["public_key"]
    if trusted_key is not None and trusted_key.lower() != public_hex.lower():
        candidates.append({"position": 0, "kind": "unexpected_key", "public_key": public_hex})
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
    valid = {}
    for c in checkpoints:
        if checkpoint_valid(key, c):
            valid[c["position"]] = c
        else:
            candidates.append({"position": c["position"], "kind": "bad_signature"})
    start = manifest["start"]
    start_time = start["recorded_at"] if start.get("recorded_at") is not None else MINUS_INFINITY
    end = manifest["end"]
    checked, last_hash, failure = verify_chain(
        events, start["position"], bytes.fromhex(start["hash"]), start_time,
        (end["position"], bytes.fromhex(end["hash"])))
    failed_at = float("inf")
    if failure is not None:
        candidates.append(failure)
        failed_at = failure["position"]
    by_position = {e["position"]: e for e in events}
    for position in sorted(valid):
        c = valid[position]
        if not (start["position"] < position < failed_at):
            continue
        e = by_position.get(position)
        if (e is None or e["hash"].lower() != c["hash"].lower()
                or e["recorded_at"] != c["recorded_at"]):
            candidates.append({"position": position, "kind": "checkpoint_mismatch"})
    if start["position"] > 0:
        c = valid.get(start["position"])
        if (c is None or c["hash"].lower() != start["hash"].lower()
                or c["recorded_at"] != start.get("recorded_at")):
            candidates.append({"position": start["position"] + 1, "kind": "start_not_signed"})
    c = valid.get(end["position"])
    if end["position"] != manifest["to"] or c is None or c["hash"].lower() != end["hash"].lower():
        candidates.append({"position": manifest["to"], "kind": "end_not_signed"})
    first = None
    for candidate in candidates:  # lowest position; the first collected at equal positions
        if first is None or candidate["position"] < first["position"]:
            first = candidate
    return {"intact": first is None, "from": manifest["from"], "to": manifest["to"],
            "checked": checked, "last_hash": last_hash, "valid_checkpoints": len(valid),
            "public_key": public_hex, "first_failure": first}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", help="the bundle file, or - for stdin")
    parser.add_argument("--public-key", help="the public key you trust (64 hex digits)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    if args.bundle == "-":
        text = sys.stdin.read()
    else:
        with open(args.bundle, encoding="utf-8") as f:
            text = f.read()
    report = verify_bundle(text, args.public_key)
    if args.json:
        print(json.dumps(report))
    elif report["intact"]:
        print("intact: events %d..%d, %d checked, %d valid checkpoints, last hash %s"
              % (report["from"], report["to"], report["checked"], report["valid_checkpoints"],
                 report["last_hash"]))
    else:
        print("NOT INTACT: %s" % json.dumps(report["first_failure"]))
    sys.exit(0 if report["intact"] else 1)


if __name__ == "__main__":
    main()
