#!/usr/bin/env bash
# Side-by-side engine comparison: whole `costdefender build` runs vs DuckDB and polars doing the
# cube's aggregation (day × the cube's dimensions, six sums and a row count) on the same generated
# FOCUS CSV. Not part of the test suite; run it on a quiet machine:
#
#   Tests/Benchmarks/compare_engines.sh
#
# Settings (environment):
#   BENCH_DIR     where the generated FOCUS files are kept and reused   (default /work/cdbench)
#   ROWS          row counts to compare, space-separated                (default "1000000 10000000")
#   RUNS          runs of each engine per file                          (default 3)
#   SCRATCH       where packs and aggregation results go (tmpfs)        (default /dev/shm/costdefender-compare)
#   MIN_FREE_GB   free space on BENCH_DIR needed to generate a file of 5 M rows or more (default 20)
#   BENCH_UPGRADE=1  reinstall the latest duckdb and polars into the reused venv
#   POLARS_ENGINE    polars collect() engine: auto (default), in-memory or streaming
#   COSTDEFENDER_BIN use this costdefender binary instead of building the working tree
#
# Reused between runs: the virtual environment .venv-bench (repository root) and the FOCUS files
# $BENCH_DIR/focus-N.csv (generated with seed 7, the file costdefender-bench --keep leaves there).
# Each run's output is also saved to $BENCH_DIR/compare-engines-<time>.txt.
set -euo pipefail

die() { echo "compare_engines: error: $*" >&2; exit 1; }
note() { echo "compare_engines: $*" >&2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
[[ -f Package.swift ]] || die "not in the CostDefender package ($ROOT has no Package.swift)"

BENCH_DIR="${BENCH_DIR:-/work/cdbench}"
ROWS="${ROWS:-1000000 10000000}"
RUNS="${RUNS:-3}"
SCRATCH="${SCRATCH:-/dev/shm/costdefender-compare}"
MIN_FREE_GB="${MIN_FREE_GB:-20}"
VENV="$ROOT/.venv-bench"
SEED=7

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
for n in $ROWS; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be positive integers (got '$n')"; done
for tool in python3 swift wc df; do command -v "$tool" >/dev/null || die "'$tool' not found on PATH"; done

# 1. The virtual environment with duckdb and polars (created once, then reused).
if [[ ! -x "$VENV/bin/python" ]]; then
    note "creating $VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
fi
if [[ "${BENCH_UPGRADE:-0}" == 1 ]] || ! "$VENV/bin/python" -c 'import duckdb, polars' 2>/dev/null; then
    note "installing duckdb and polars (latest) into $VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade duckdb polars || die "pip install duckdb polars failed"
fi
VERSIONS="$("$VENV/bin/python" -m pip freeze 2>/dev/null | grep -i -E '^(duckdb|polars)' | tr '\n' ' ')"
note "venv: $VERSIONS"

# 2. CostDefender in release, whatever the working tree holds now (or COSTDEFENDER_BIN, as given).
mkdir -p "$BENCH_DIR" "$SCRATCH" || die "cannot create $BENCH_DIR or $SCRATCH"
if [[ -n "${COSTDEFENDER_BIN:-}" ]]; then
    BIN="$COSTDEFENDER_BIN"
    [[ -x "$BIN" ]] || die "COSTDEFENDER_BIN=$BIN is not an executable"
    SOURCE="prebuilt binary, not rebuilt"
else
    note "swift build -c release"
    if ! swift build -c release >"$SCRATCH/build.log" 2>&1; then
        grep -E 'error:' "$SCRATCH/build.log" | head -n 10 >&2 || tail -n 30 "$SCRATCH/build.log" >&2
        die "swift build -c release failed (full log: $SCRATCH/build.log); if the working tree is mid-edit, retry later or pass COSTDEFENDER_BIN=path/to/costdefender"
    fi
    BIN="$(swift build -c release --show-bin-path)/costdefender"
    [[ -x "$BIN" ]] || die "no costdefender binary at $BIN after the build"
    SOURCE="commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    DIRTY="$(git status --porcelain 2>/dev/null | grep -v -c -E '^\?\? (Tests/Benchmarks/|\.venv)' || true)"
    if (( DIRTY > 0 )); then SOURCE="$SOURCE + $DIRTY uncommitted changed or new files"; fi
fi

# 3. The FOCUS files (generated once, kept in BENCH_DIR; written to a temporary name and renamed,
#    so an interrupted generation never leaves a truncated file to be reused).
echo "disk space where the FOCUS files live:" >&2
df -h "$BENCH_DIR" >&2
FILES=()
SKIPPED=()
for n in $ROWS; do
    f="$BENCH_DIR/focus-$n.csv"
    if [[ ! -s "$f" ]]; then
        free_gb=$(( $(df -Pk "$BENCH_DIR" | awk 'NR==2 {print $4}') / 1024 / 1024 ))
        need_gb=$(( n >= 5000000 ? MIN_FREE_GB : (n * 800 / 1000000000) * 2 + 1 ))
        if (( free_gb < need_gb )); then
            msg="SKIPPING $n rows: $f does not exist and generating it (~$(( n * 755 / 1000000 )) MB) needs ${need_gb} GB free on $BENCH_DIR; only ${free_gb} GB free"
            note "$msg"; SKIPPED+=("$msg"); continue
        fi
        tmp="$BENCH_DIR/.focus-$n.partial.csv"
        trap 'rm -f "$tmp"' EXIT
        note "generating $n rows into $f (seed $SEED; kept for later runs)"
        start=$(date +%s%N)
        "$BIN" generate-samples --rows "$n" --file "$tmp" --seed "$SEED" || die "generate-samples --rows $n failed"
        mv "$tmp" "$f"
        trap - EXIT
        note "generated in $(( ($(date +%s%N) - start) / 1000000 )) ms: $(du -h "$f" | cut -f1)"
    fi
    FILES+=(--file "$n=$f")
done
(( ${#FILES[@]} > 0 )) || die "no FOCUS file to measure"

# 4. One run of the harness: every engine RUNS times per file, alternating.
LOG="$BENCH_DIR/compare-engines-$(date +%Y%m%d-%H%M%S).txt"
status=0
"$VENV/bin/python" -u "$ROOT/Tests/Benchmarks/engines.py" compare --costdefender "$BIN" "${FILES[@]}" \
    --runs "$RUNS" --scratch "$SCRATCH" --source "$SOURCE" 2>&1 | tee "$LOG" || status=$?
for msg in "${SKIPPED[@]+"${SKIPPED[@]}"}"; do echo "$msg"; done | tee -a "$LOG"
(( status == 0 )) || note "the comparison failed (exit $status)"
note "saved to $LOG"
exit "$status"
