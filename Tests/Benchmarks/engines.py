#!/usr/bin/env python3
"""Side-by-side engine comparison: `costdefender build` vs DuckDB vs polars on the same FOCUS CSV.

Not part of the test suite. Normally run through Tests/Benchmarks/compare_engines.sh, which makes
the virtual environment, builds CostDefender in release and generates the FOCUS files.

  engines.py duckdb FILE OUT        one DuckDB aggregation of FILE, result written to OUT (CSV)
  engines.py polars FILE OUT        the same with polars (lazy scan_csv + group_by + sum)
  engines.py compare --costdefender BIN --file ROWS=PATH [--file ROWS=PATH ...] [--runs K]
                     [--scratch DIR]
                                    the harness: K runs of each engine per file, alternating
                                    engines (the order rotates every round), each run a child
                                    process timed by wall clock with its own peak RSS from
                                    wait4(); prints the table and the ratios.

The DuckDB and polars workers do what CostDefender's cube does at its core: group the rows by the
UTC day of ChargePeriodStart and the cube's dimension columns, sum the six measures and count the
rows. They sum money as float64 (CostDefender sums exact 128-bit decimals) and group by the raw
Tags text (CostDefender by the values of the configured tag keys); CostDefender's time is a whole
build: validation, cube, allocation, analyses of every period, forecasts and the rendered pack.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

DIMENSIONS = [
    "ProviderName", "BillingAccountId", "SubAccountId", "ServiceName", "ServiceCategory",
    "RegionId", "ChargeCategory", "ChargeClass", "ChargeFrequency", "PricingCategory",
    "CommitmentDiscountId", "CommitmentDiscountStatus", "BillingCurrency", "Tags",
]
MEASURES = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ConsumedQuantity", "PricingQuantity"]
DAY_SOURCE = "ChargePeriodStart"
NULL_TOKEN = "NULL"
NOISY_CORES = 0.2  # a run during which other processes used more than this many cores on average is flagged


def header_of(path):
    """The CSV's column names (first line, every name double-quoted or bare, no embedded commas)."""
    with open(path, "r", encoding="utf-8", newline="") as f:
        line = f.readline().rstrip("\r\n")
    names = [n.strip().strip('"') for n in line.split(",")]
    missing = [c for c in DIMENSIONS + MEASURES + [DAY_SOURCE] if c not in names]
    if missing:
        sys.exit(f"{path}: not a FOCUS file with the cube's columns (missing: {', '.join(missing)})")
    return names


# ---------------------------------------------------------------- workers (one aggregation each)

def run_duckdb(path, out):
    import duckdb
    names = header_of(path)
    t0 = time.perf_counter()
    con = duckdb.connect()  # in memory, default threads (= cores)
    con.execute("SET TimeZone = 'UTC'")  # the day of a TIMESTAMPTZ is taken in UTC, as CostDefender does
    # Every column typed explicitly (no sniffing): the measures as DOUBLE, the day source as
    # TIMESTAMPTZ (honours a Z or +hh:mm offset), everything else text.
    types = {n: ("DOUBLE" if n in MEASURES else "TIMESTAMPTZ" if n == DAY_SOURCE else "VARCHAR") for n in names}
    columns = "{" + ", ".join(f"'{n}': '{t}'" for n, t in types.items()) + "}"
    dims = ", ".join(f'"{d}"' for d in DIMENSIONS)
    sums = ", ".join(f'sum("{m}") AS "{m}"' for m in MEASURES)
    query = f"""
        COPY (
            SELECT CAST("{DAY_SOURCE}" AS DATE) AS day, {dims}, {sums}, count(*) AS row_count
            FROM read_csv('{path}', header = true, delim = ',', quote = '"', escape = '"',
                          nullstr = '{NULL_TOKEN}', auto_detect = false, columns = {columns})
            GROUP BY ALL
        ) TO '{out}' (FORMAT csv, HEADER true)
    """
    groups = con.execute(query).fetchone()[0]
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    seconds = time.perf_counter() - t0
    print(json.dumps({"engine": "duckdb", "version": duckdb.__version__, "threads": threads,
                      "groups": groups, "in_process_s": seconds}))


def run_polars(path, out):
    import polars as pl
    names = header_of(path)
    t0 = time.perf_counter()
    schema = {n: (pl.Float64 if n in MEASURES else pl.String) for n in names}
    # The generated files mix "2025-01-01T02:00:00Z" and "2025-01-01 02:00:00" (no offset: UTC, as
    # CostDefender and DuckDB read it); polars parses one format per call, so both are tried.
    text = pl.col(DAY_SOURCE)
    day = pl.coalesce(
        text.str.to_datetime("%Y-%m-%dT%H:%M:%S%#z", time_zone="UTC", strict=False),
        text.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False).dt.replace_time_zone("UTC"),
    ).dt.date().alias("day")
    query = (
        pl.scan_csv(path, schema=schema, null_values=[NULL_TOKEN], quote_char='"')
        .group_by([day] + DIMENSIONS)
        .agg([pl.col(m).sum() for m in MEASURES] + [pl.len().alias("row_count")])
    )
    engine = os.environ.get("POLARS_ENGINE", "auto")
    result = query.collect(engine=engine)
    if result["day"].null_count():  # strict=False above: a format neither covers would become null
        sys.exit(f"polars: {DAY_SOURCE} in a format the benchmark does not parse ({result['day'].null_count()} groups)")
    result.write_csv(out)
    seconds = time.perf_counter() - t0
    print(json.dumps({"engine": "polars", "version": pl.__version__, "threads": pl.thread_pool_size(),
                      "polars_engine": engine, "groups": result.height, "in_process_s": seconds}))


# ---------------------------------------------------------------- harness

def busy_cpu_seconds():
    """CPU seconds the whole machine has spent busy (all cores, /proc/stat), or None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_child(argv, env=None):
    """Runs argv as a child; returns wall seconds, the child's own peak RSS in bytes, its output,
    its exit code, and the cores used meanwhile by other processes (machine busy time − the
    child's CPU time, ÷ wall)."""
    busy0 = busy_cpu_seconds()
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)  # reaps this child only: its own ru_maxrss
    seconds = time.perf_counter() - t0
    busy1 = busy_cpu_seconds()
    others = None if busy0 is None or busy1 is None else \
        max(0.0, (busy1 - busy0) - usage.ru_utime - usage.ru_stime) / seconds
    proc.stdout.close(); proc.stderr.close()
    return {"seconds": seconds, "rss": usage.ru_maxrss * 1024, "stdout": stdout.decode(errors="replace"),
            "stderr": stderr.decode(errors="replace"), "returncode": os.waitstatus_to_exitcode(status), "others": others}


class Spawner:
    """A small process, forked before the harness imports DuckDB and polars or reads any result,
    that starts and times every measured child. Linux carries a process's peak RSS across exec: a
    child spawned by a process that holds N MB reports at least N MB as its ru_maxrss (a /bin/true
    spawned by a Python holding 213 MB reports 213 MB). Spawned by the grown harness, a small
    engine would report the harness's memory instead of its own."""

    def __init__(self):
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(requests_w); os.close(replies_r)
            with os.fdopen(requests_r, "rb") as requests, os.fdopen(replies_w, "wb") as replies:
                for line in requests:
                    argv, env = json.loads(line)
                    replies.write((json.dumps(run_child(argv, env)) + "\n").encode())
                    replies.flush()
            os._exit(0)
        os.close(requests_r); os.close(replies_w)
        self.requests = os.fdopen(requests_w, "wb")
        self.replies = os.fdopen(replies_r, "rb")

    def run(self, argv, env=None):
        self.requests.write((json.dumps([argv, env]) + "\n").encode())
        self.requests.flush()
        return json.loads(self.replies.readline())


SPAWNER = None  # set by compare() before anything large is loaded


def measure(argv, env=None):
    """Runs argv as a child (through SPAWNER when there is one); returns (wall seconds, peak RSS
    bytes of that child, stdout, stderr, cores used meanwhile by other processes)."""
    r = SPAWNER.run(argv, env) if SPAWNER else run_child(argv, env)
    if r["returncode"] != 0:
        sys.stderr.write(f"\nFAILED (exit {r['returncode']}): {' '.join(argv)}\n{r['stderr'][-4000:]}\n")
        sys.exit(1)
    return r["seconds"], r["rss"], r["stdout"], r["stderr"], r["others"]


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def check_outputs(rows, duck_out, polars_out, cd_out):
    """Cross-checks the last run's results: the same groups and totals from DuckDB and polars,
    every row counted, and CostDefender's rows_read."""
    import duckdb
    lines = []
    con = duckdb.connect()
    agg = ", ".join(f'sum("{m}")' for m in MEASURES)
    totals = {}
    for name, f in (("duckdb", duck_out), ("polars", polars_out)):
        r = con.execute(f"SELECT count(*), sum(row_count), {agg} FROM read_csv('{f}', header = true)").fetchone()
        totals[name] = r
    d, p = totals["duckdb"], totals["polars"]
    same_groups = d[0] == p[0]
    same_rows = d[1] == p[1] == rows
    close = all(abs(a - b) <= 1e-6 * max(1.0, abs(a)) for a, b in zip(d[2:], p[2:]))
    lines.append(f"  duckdb vs polars: {d[0]:,} vs {p[0]:,} groups, rows counted {d[1]:,} vs {p[1]:,} "
                 f"(file: {rows:,}), measure totals {'agree' if close else 'DIFFER'} "
                 f"(Σ BilledCost {d[2]:,.4f} vs {p[2]:,.4f})"
                 + ("" if same_groups and same_rows and close else "   <-- MISMATCH"))
    rows_read = None
    for root, _, files in os.walk(cd_out):
        if "summary.json" in files:
            with open(os.path.join(root, "summary.json")) as f:
                rows_read = json.load(f).get("rows_read")
            break
    lines.append(f"  costdefender: rows_read {rows_read if rows_read is None else f'{rows_read:,}'} in summary.json"
                 + ("" if rows_read == rows else "   <-- not the file's row count"))
    return lines, (same_groups and same_rows and close and rows_read == rows)


def verdict(cd, name, other):
    """'costdefender is Nx faster than the faster of the two' (or slower), from two wall times."""
    if cd <= other:
        return f"costdefender is {other / cd:.2f}x faster than the faster of the two ({name}, {other:.3f} s)"
    return f"costdefender is {cd / other:.2f}x slower than the faster of the two ({name}, {other:.3f} s), i.e. {other / cd:.2f}x as fast"


def compare(args):
    global SPAWNER
    SPAWNER = Spawner()  # first, while this process is small (see Spawner)
    import duckdb
    import polars as pl
    me = os.path.abspath(__file__)
    python = sys.executable
    os.makedirs(args.scratch, exist_ok=True)
    files = []
    for spec in args.file:
        rows, _, path = spec.partition("=")
        if not path or not os.path.isfile(path):
            sys.exit(f"--file {spec}: expected ROWS=PATH of an existing file")
        files.append((int(rows), path))
    cd_version = subprocess.run([args.costdefender, "--version"], capture_output=True, text=True).stdout.strip()

    print(f"engine comparison, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {platform.node()}")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    print(f"machine: {os.cpu_count()} cores ({cpu}), {mem / 1024:.1f} GiB memory, {platform.platform()}")
    print(f"costdefender {cd_version} (release, {args.costdefender}{', ' + args.source if args.source else ''})")
    print(f"duckdb {duckdb.__version__}, polars {pl.__version__} (default threads: {pl.thread_pool_size()}, "
          f"engine {os.environ.get('POLARS_ENGINE', 'auto')}), Python {platform.python_version()}")
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
          + ("   <-- the machine is busy: other processes compete for the cores, figures will be noisy" if load[0] > 0.5 else ""))
    print(f"{args.runs} runs of each engine per file, alternating (order rotates each round); "
          f"outputs to {args.scratch}; wall = child process start to exit; peak RSS = that child's ru_maxrss "
          f"(children are started by a small process forked at the start, so it is the child's own)")
    print("every run is cold: costdefender's output folder and everything beside it (history, cube cache) "
          "are wiped before each of its runs; the FOCUS file itself is in the page cache (warmed by wc -l)")
    print()

    engines = ["costdefender", "duckdb", "polars"]
    results = []  # (rows, path, {engine: (times, peak, extra)}, wc)
    all_ok = True
    for rows, path in files:
        size = os.path.getsize(path)
        # The pack goes into a folder of its own that is wiped before every run: CostDefender keeps
        # things beside its output folder (forecast history, and in newer builds a cube cache,
        # <output>.cache) that a rerun would reuse; DuckDB and polars start cold, so does it.
        cd_root = os.path.join(args.scratch, f"cd-{rows}")
        cd_out = os.path.join(cd_root, "pack")
        duck_out = os.path.join(args.scratch, f"duckdb-{rows}.csv")
        polars_out = os.path.join(args.scratch, f"polars-{rows}.csv")
        commands = {
            "costdefender": [args.costdefender, "build", "--quiet", "--focus", path, "--output", cd_out, "--as-of", "2026-12-31"],
            "duckdb": [python, me, "duckdb", path, duck_out],
            "polars": [python, me, "polars", path, polars_out],
        }
        print(f"--- {rows:,} rows: {path} ({size / 1e6:,.1f} MB)", flush=True)
        # Reference: one warm-up pass (puts the file in the page cache), then a timed single-threaded wc -l.
        env_c = dict(os.environ, LC_ALL="C")
        measure(["wc", "-l", path], env_c)
        wc_s, _, wc_out, _, _ = measure(["wc", "-l", path], env_c)
        lines_counted = int(wc_out.split()[0])
        print(f"  wc -l (warm cache, single thread): {wc_s:.3f} s, {lines_counted:,} lines ({size / wc_s / 1e9:.2f} GB/s)", flush=True)
        if lines_counted != rows + 1:
            print(f"  WARNING: {lines_counted:,} lines, expected {rows + 1:,} (header + rows)")
        runs = {e: {"times": [], "peak": 0, "in_process": [], "groups": None, "threads": None, "noisy": 0} for e in engines}
        for k in range(args.runs):
            order = engines[k % 3:] + engines[:k % 3]
            for e in order:
                # Fresh output each run: for costdefender no earlier pack, forecast history (which
                # later builds score) or cache; nothing left over from an earlier run for the others.
                remove(cd_root if e == "costdefender" else duck_out if e == "duckdb" else polars_out)
                if e == "costdefender":
                    os.makedirs(cd_root)
                s, rss, out, _, others = measure(commands[e])
                r = runs[e]
                r["times"].append(s)
                r["peak"] = max(r["peak"], rss)
                r["noisy"] += others is not None and others > NOISY_CORES
                if e != "costdefender":
                    info = json.loads(out.strip().splitlines()[-1])
                    r["in_process"].append(info["in_process_s"])
                    r["groups"], r["threads"] = info["groups"], info["threads"]
                busy = "" if others is None else f"   (other processes meanwhile: {others:.2f} cores" + \
                    (", noisy)" if others > NOISY_CORES else ")")
                print(f"  round {k + 1}: {e:<12} {s:8.3f} s  {rss / 1e6:9.1f} MB{busy}", flush=True)
        lines, ok = check_outputs(rows, duck_out, polars_out, cd_out)
        all_ok &= ok
        for l in lines:
            print(l)
        results.append((rows, size, runs, wc_s))
        print(flush=True)

    print("engine         rows          median s    min s   peak RSS MB   in-process median s   groups   noisy runs")
    for rows, size, runs, wc_s in results:
        for e in engines:
            r = runs[e]
            inproc = f"{statistics.median(r['in_process']):.3f}" if r["in_process"] else "-"
            groups = f"{r['groups']:,}" if r["groups"] is not None else "-"
            print(f"{e:<12} {rows:>12,}   {statistics.median(r['times']):10.3f} {min(r['times']):8.3f} "
                  f"{r['peak'] / 1e6:13.1f}   {inproc:>19}   {groups:>9}   {r['noisy']}/{len(r['times'])}")
        print(f"{'wc -l':<12} {rows:>12,}   {wc_s:10.3f} {wc_s:8.3f} {'':>13}   {'(reference, 1 run)':>19}")
    print()
    for rows, size, runs, wc_s in results:
        m = {e: statistics.median(runs[e]["times"]) for e in engines}
        faster = min(("duckdb", "polars"), key=lambda e: m[e])
        print(f"{rows:,} rows: costdefender ÷ duckdb = {m['costdefender'] / m['duckdb']:.2f}, "
              f"costdefender ÷ polars = {m['costdefender'] / m['polars']:.2f}  (medians; < 1 means costdefender is faster)")
        print(f"  {verdict(m['costdefender'], faster, m[faster])}")
        lo = {e: min(runs[e]["times"]) for e in engines}
        lo_faster = min(("duckdb", "polars"), key=lambda e: lo[e])
        print(f"  by min (the least disturbed run): costdefender ÷ duckdb = {lo['costdefender'] / lo['duckdb']:.2f}, "
              f"costdefender ÷ polars = {lo['costdefender'] / lo['polars']:.2f}; "
              f"{verdict(lo['costdefender'], lo_faster, lo[lo_faster])}")
        if any(runs[e]["noisy"] for e in engines):
            print("  (some runs were disturbed by other processes: see 'noisy runs'; rerun on a quiet machine)")
        print(f"  costdefender median = {m['costdefender'] / wc_s:.1f}x one wc -l pass; "
              f"{rows / m['costdefender']:,.0f} rows/s, {size / m['costdefender'] / 1e6:,.0f} MB/s")
    if not all_ok:
        print("\nWARNING: the cross-checks above found a mismatch")
        sys.exit(1)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] in ("duckdb", "polars"):
        if len(sys.argv) != 4:
            sys.exit(f"usage: engines.py {sys.argv[1]} FILE OUT")
        (run_duckdb if sys.argv[1] == "duckdb" else run_polars)(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description="costdefender vs DuckDB vs polars (see the module docstring)")
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--costdefender", required=True, help="the release costdefender binary")
    c.add_argument("--file", action="append", required=True, help="ROWS=PATH of a generated FOCUS CSV (repeatable)")
    c.add_argument("--runs", type=int, default=3)
    c.add_argument("--scratch", default="/dev/shm/costdefender-compare", help="where results and packs are written (tmpfs)")
    c.add_argument("--source", default="", help="a note on the source tree built (shown in the header)")
    args = ap.parse_args()
    if args.runs < 1:
        sys.exit("--runs must be at least 1")
    compare(args)


if __name__ == "__main__":
    main()
