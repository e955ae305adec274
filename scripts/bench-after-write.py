#!/usr/bin/env python3
"""The first report after a write (a benchmark, not a timed test).

Against a running server with projects under construction (e.g. the province data set of
`redmud demo --scale 1`): as `province`, plan a milestone on one such project; then, as `auditor`,
request the report twice and print both latencies. Repeated `--writes` times. The first request
after a write answers from a new list of the model's rows (see docs/reports.md).

    scripts/bench-after-write.py --url http://127.0.0.1:18121 /api/reports/tasks
    scripts/bench-after-write.py --url http://127.0.0.1:18121 '/api/reports/tasks?format=csv'
"""

import argparse
import json
import time
import urllib.request
import uuid


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="the report's path and query")
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--writes", type=int, default=5)
    parser.add_argument("--password", default="redmud-demo")
    args = parser.parse_args()

    def call(method, path, token=None, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(args.url + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if token:
            req.add_header("authorization", "Bearer " + token)
        with urllib.request.urlopen(req) as reply:
            return reply.status, reply.read()

    def login(user):
        body = {"username": user, "password": args.password}
        return json.loads(call("POST", "/api/auth/login", body=body)[1])["token"]

    def timed(token):
        start = time.perf_counter()
        _, body = call("GET", args.report, token)
        return (time.perf_counter() - start) * 1000, len(body)

    province, auditor = login("province"), login("auditor")
    listed = json.loads(call("GET", "/api/projects?limit=1&status=under_construction", auditor)[1])
    project = listed.get("items", listed)[0]["id"]
    timed(auditor), timed(auditor)  # warm: the model's list decoded once
    for n in range(1, args.writes + 1):
        milestone = {"milestone_id": str(uuid.uuid4()), "name": "中期检查", "planned_on": "2027-06-30"}
        status, _ = call("POST", f"/api/projects/{project}/plan-milestone", province, milestone)
        (first, size), (after, _) = timed(auditor), timed(auditor)
        print(f"write {n} ({status}): first {first:.1f} ms, next {after:.1f} ms, {size:,} bytes")


if __name__ == "__main__":
    main()
