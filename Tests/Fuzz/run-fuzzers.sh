#!/usr/bin/env bash
# Builds the libFuzzer targets in Tests/Fuzz/ and runs each for a fixed time (Linux only; not part
# of `swift test` or CI). Usage:
#
#   Tests/Fuzz/run-fuzzers.sh [SECONDS] [TARGET...]     # default: 600 s each, all targets in turn
#   TARGET: csv | tags | config
#
# How it builds (Swift 6.3 on Linux):
# 1. SwiftPM builds the library and its dependencies into .build-fuzz with coverage and address
#    sanitizer instrumentation: `-Xswiftc -sanitize=fuzzer,address` (one flag: with SwiftPM's
#    `--sanitize=fuzzer --sanitize=address` the swift driver keeps only the last `-sanitize=`, so
#    the Swift code would get no coverage) and `-Xcc -fsanitize=fuzzer-no-link,address` for the C
#    code (libyaml inside Yams). `-sanitize=fuzzer` at compile time only instruments; nothing is
#    linked because only the library target is built.
# 2. swiftc compiles each Tests/Fuzz/Fuzz*.swift entry point (`@_cdecl("LLVMFuzzerTestOneInput")`,
#    `-parse-as-library` so there is no Swift `main`) and links it with those objects and
#    `-sanitize=fuzzer,address`, which brings libFuzzer's `main` and the ASan runtime.
#
# Corpora grow in .build-fuzz/corpus/TARGET (seeded from Tests/Fuzz/seeds/ and Samples/); crashes,
# invariant failures, timeouts and out-of-memory inputs are written to .build-fuzz/crashes/.
# A reproducer: `.build-fuzz/fuzzers/fuzz-csv .build-fuzz/crashes/csv-crash-…`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(csv tags config)
SCRATCH=$ROOT/.build-fuzz
OUT=$SCRATCH/fuzzers

# 1. The library, instrumented. A file another engineer is editing can break a build for a
#    moment: retry a few times.
build() {
    swift build --scratch-path "$SCRATCH" -c debug --target CostDefender \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -O \
        -Xswiftc -Xfrontend -Xswiftc -solver-expression-time-threshold=600 \
        -Xcc -fsanitize=fuzzer-no-link,address
}
mkdir -p "$SCRATCH"
for attempt in 1 2 3; do
    if build >"$SCRATCH/build.log" 2>&1; then break; fi
    tail -20 "$SCRATCH/build.log" >&2
    [ $attempt -eq 3 ] && { echo "the instrumented build failed 3 times; see $SCRATCH/build.log" >&2; exit 1; }
    echo "build failed; retrying in 60 s" >&2
    sleep 60
done
BIN=$(swift build --scratch-path "$SCRATCH" -c debug --show-bin-path)

# The objects of the library and its dependencies: the Swift ones from each module's output
# file map (so stale objects of deleted sources are never linked), the C ones as built.
objects() {
    local module
    for module in CostDefender Yams Mustache; do
        grep -o '"object": "[^"]*"' "$BIN/$module.build/output-file-map.json" | sed 's/"object": "\(.*\)"/\1/'
        [ -f "$BIN/$module.build/$module.swiftmodule.o" ] && echo "$BIN/$module.build/$module.swiftmodule.o"
    done
    find "$BIN/CYaml.build" "$BIN/CSystemShims.build" "$BIN/CKernels.build" -name '*.o'
}
mapfile -t OBJECTS < <(objects)
YAMS_C=$SCRATCH/checkouts/Yams/Sources/CYaml/include

# 2. The entry points.
mkdir -p "$OUT" "$SCRATCH/crashes"
source_of() {
    case $1 in
        csv) echo Tests/Fuzz/FuzzCSVReader.swift ;;
        tags) echo Tests/Fuzz/FuzzTagsParser.swift ;;
        config) echo Tests/Fuzz/FuzzConfigurationLoader.swift ;;
        *) echo "unknown target $1 (csv, tags, config)" >&2; exit 2 ;;
    esac
}
for t in "${TARGETS[@]}"; do
    swiftc -parse-as-library -module-name "Fuzz_$t" -swift-version 6 -O -g \
        -sanitize=fuzzer,address \
        -I "$BIN/Modules" -module-cache-path "$BIN/ModuleCache" \
        -Xcc "-fmodule-map-file=$ROOT/Sources/CCmarkGFM/module.modulemap" \
        -Xcc "-fmodule-map-file=$ROOT/Sources/CZlib/module.modulemap" \
        -Xcc "-fmodule-map-file=$BIN/CSystemShims.build/module.modulemap" \
        -Xcc "-I$ROOT/Sources/CSystemShims/include" \
        -Xcc "-fmodule-map-file=$BIN/CKernels.build/module.modulemap" \
        -Xcc "-I$ROOT/Sources/CKernels/include" \
        -Xcc "-fmodule-map-file=$YAMS_C/module.modulemap" -Xcc "-I$YAMS_C" \
        "$(source_of "$t")" "${OBJECTS[@]}" \
        -L/usr/lib/x86_64-linux-gnu -lz -lcmark-gfm -lcmark-gfm-extensions \
        -o "$OUT/fuzz-$t" 2>"$SCRATCH/link-$t.log" || { cat "$SCRATCH/link-$t.log" >&2; exit 1; }
done

# Seeds: the committed ones, plus the samples (the CSV ones behind two control bytes, see
# FuzzCSVReader.swift), cut to the input size limit.
seed() {
    local t=$1 dir=$SCRATCH/corpus/$1
    mkdir -p "$dir"
    cp Tests/Fuzz/seeds/"$t"/* "$dir"/
    case $t in
        csv)
            for f in Samples/*.csv Samples/aws/*.csv; do
                { printf '\x08\x80'; head -c 3000 "$f"; } >"$dir/sample-$(basename "$f")"
            done
            { printf '\x3f\x40'; zcat Samples/focus/2025-01.csv.gz | head -c 3000 || true; } >"$dir/sample-focus-2025-01.csv" ;;
        tags)
            # Tags cells of the AWS FOCUS sample and of the generated sample.
            { head -c 200000 Samples/aws/focus-1.0_sample_aws.csv; zcat Samples/focus/2025-01.csv.gz | head -c 200000 || true; } |
                grep -o '"{[^}]*}"' | head -40 | sed 's/^"//; s/"$//; s/""/"/g' |
                awk -v d="$dir" '{ f = d "/sample-" NR ".json"; printf "%s", $0 > f; close(f) }' || true ;;
        config)
            cp Samples/costdefender.yaml "$dir/sample.yaml"
            cp Samples/aws/costdefender.yaml "$dir/sample-aws.yaml" ;;
    esac
}
max_len() { case $1 in csv) echo 4096 ;; tags) echo 1024 ;; config) echo 8192 ;; esac; }

# 3. Run each for SECONDS_EACH and report executions, speed and coverage.
SUMMARY=()
for t in "${TARGETS[@]}"; do
    seed "$t"
    log=$SCRATCH/fuzz-$t.log
    echo "== fuzz-$t: ${SECONDS_EACH}s (log: $log)"
    start=$(date +%s)
    set +e
    # The Swift runtime's own backtracer would race ASan and libFuzzer for the crash: off.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$OUT/fuzz-$t" "$SCRATCH/corpus/$t" \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
        -dict="Tests/Fuzz/$t.dict" -artifact_prefix="$SCRATCH/crashes/$t-" -print_final_stats=1 \
        >"$log" 2>&1
    status=$?
    set -e
    [ "$t" = config ] && rm -f /dev/shm/costdefender-fuzz-*.yaml    # its input files
    elapsed=$(( $(date +%s) - start ))
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || echo '?')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || echo '?')
    corpus=$(echo "$last" | grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' | cut -d' ' -f2 || echo '?')
    if [ $status -eq 0 ]; then result=ok; else result="FAILED (exit $status): $(grep -o 'Test unit written to .*' "$log" | tail -1)"; fi
    SUMMARY+=("$(printf '%-7s %6ss %12s runs %8s exec/s  cov %5s  ft %6s  corpus %-12s %s' "$t" "$elapsed" "$runs" "$speed" "$cov" "$ft" "$corpus" "$result")")
    echo "${SUMMARY[-1]}"
done
echo
echo "== summary"
printf '%s\n' "${SUMMARY[@]}"
