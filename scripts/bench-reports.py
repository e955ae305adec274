#!/usr/bin/env python3
"""Report latency benchmark (not a timed test).

Against a running server (e.g. `redmud --database-url sqlite:/tmp/r.db serve --demo`), optionally
adds a generated data set over the API (N alumina refineries in Guiyang, Zunyi and Qiandongnan,
each with a stock baseline and quarterly ledgers 2025-Q1..2026-Q3, one Q1 correction in ten),
and one utilization-capacity project per refinery (approved, with a milestone), then times every
report (1-8), JSON and CSV, as of now and as of the position before the generated corrections.
Prints median and p95 latency per request in milliseconds.

    scripts/bench-reports.py --url http://127.0.0.1:18081 --enterprises 300 --runs 20
"""

import argparse
import json
import statistics
import time
import urllib.request

USCC = "914403001922038216"
REGIONS = ["520100", "520300", "522600"]
QUARTERS = [f"{y}-Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)][:7]


def call(url, method="GET", body=None, token=None, accept=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    if accept:
        req.add_header("accept", accept)
    with urllib.request.urlopen(req) as resp:
        raw = resp.read()
    return raw


def login(base, user, password):
    body = call(f"{base}/api/auth/login", "POST", {"username": user, "password": password})
    return json.loads(body)["token"]


def figures(i, q, extra=0):
    generated = 400_000_000 + (i % 7) * 10_000_000 + q * 1_000_000
    cement = generated // 10 + extra
    backfill = generated // 50
    return {
        "generated": generated,
        "utilized_from_new": {"cement": cement, "mine_backfill": backfill},
        "disposed_from_new": 0,
        "stored_new": generated - cement - backfill,
        "utilized_from_stock": {"road_base": 1_000_000},
        "disposed_from_stock": 0,
    }


def generate(base, token, n):
    position = 0
    ids = []
    for i in range(n):
        region = REGIONS[i % len(REGIONS)]
        body = {"name": f"基准氧化铝厂{i}", "uscc": USCC, "region": region,
                "kinds": ["alumina_refinery"], "registered_on": "2024-06-01"}
        ent = json.loads(call(f"{base}/api/enterprises", "POST", body, token))
        eid = ent["id"]
        ids.append(eid)
        call(f"{base}/api/enterprises/{eid}/declare-stock-baseline", "POST",
             {"as_of": "2024-12-31", "stock": 5_000_000_000}, token)
        for q, period in enumerate(QUARTERS):
            r = call(f"{base}/api/enterprises/{eid}/record-ledger", "POST",
                     {"period": period, "figures": figures(i, q)}, token)
            position = json.loads(r)["valid_from"]
        project = {"proposal": {
            "name": f"基准赤泥利用项目{i}", "kind": "utilization_capacity",
            "task": "utilization_scale", "lead_enterprise_id": eid, "region": region,
            "routes": ["cement"], "planned_capacity_per_year": 100_000_000,
            "budget": 1_000_000_000, "responsible_units": ["省工业和信息化厅"],
            "planned_start": "2025-03-01", "planned_end": "2026-12-31",
            "matching_capacity": None}, "proposed_on": "2025-02-01"}
        pid = json.loads(call(f"{base}/api/projects", "POST", project, token))["id"]
        call(f"{base}/api/projects/{pid}/approve-project", "POST",
             {"approved_on": "2025-02-20", "document": f"黔基准〔2025〕{i}号"}, token)
        call(f"{base}/api/projects/{pid}/plan-milestone", "POST",
             {"name": "中期检查", "planned_on": "2025-09-30"}, token)
    for i, eid in enumerate(ids):
        if i % 10 == 0:
            call(f"{base}/api/enterprises/{eid}/correct-ledger", "POST",
                 {"period": QUARTERS[0], "figures": figures(i, 0, 5_000_000),
                  "reason": "bench correction"}, token)
    return position


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:18081")
    ap.add_argument("--user", default="province")
    ap.add_argument("--password", default="redmud-demo")
    ap.add_argument("--enterprises", type=int, default=0)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--as-of", default=None, help="position for the past-moment runs")
    ap.add_argument("--only", default=None, help="time only the reports whose name contains this")
    args = ap.parse_args()
    token = login(args.url, args.user, args.password)
    as_of = args.as_of
    if args.enterprises:
        start = time.perf_counter()
        as_of = str(generate(args.url, token, args.enterprises))
        print(f"generated {args.enterprises} enterprises x {len(QUARTERS)} ledgers in "
              f"{time.perf_counter() - start:.1f} s; past moment = position {as_of}")
    rows = json.loads(call(f"{args.url}/api/reports/balance?by=enterprise", token=token))
    print(f"ledger-backed enterprise lines now: {len(rows['lines'])}")
    cases = [
        ("balance quarter by region", "/api/reports/balance"),
        ("balance month by enterprise", "/api/reports/balance?by=enterprise&granularity=month"),
        ("balance year, Guiyang", "/api/reports/balance?granularity=year&region=520100"),
        ("targets", "/api/reports/targets"),
        ("3 projects", "/api/reports/projects"),
        ("4 funding", "/api/reports/funding"),
        ("5 tax incentives", "/api/reports/tax-incentives"),
        ("6 bases", "/api/reports/bases"),
        ("7 matching", "/api/reports/matching"),
        ("8 regional", "/api/reports/regional"),
        ("9 tasks", "/api/reports/tasks"),
        ("10 typical cases", "/api/reports/typical-cases"),
    ]
    print("| report | as of | format | bytes | median ms | p95 ms |")
    print("|---|---|---|---:|---:|---:|")
    for name, path in cases:
        if args.only and args.only not in name:
            continue
        for moment in ("now", "past"):
            if moment == "past" and not as_of:
                continue
            sep = "&" if "?" in path else "?"
            url = f"{args.url}{path}" + (f"{sep}as_of={as_of}" if moment == "past" else "")
            for fmt in ("json", "csv"):
                accept = "text/csv" if fmt == "csv" else None
                size = len(call(url, token=token, accept=accept))
                med, p95 = timed(lambda: call(url, token=token, accept=accept), args.runs)
                print(f"| {name} | {moment} | {fmt} | {size:,} | {med:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
