#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan, and runs
# each for SECONDS (default 60) from a copy of its committed corpus. New
# inputs stay out of the repository; a crash fails the run, and its input is
# kept in $CONFAB_TEST_ARTIFACTS/fuzz (add it to fuzz/corpus/<target>/: the
# normal build replays that corpus as a ctest test). docs/fuzzing.md.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

seconds="${1:-60}"
ensure_packages "${CONFAB_BUILD_PACKAGES[@]}" "${CONFAB_FUZZ_PACKAGES[@]}"
build="${CONFAB_FUZZ_BUILD_DIR:-$CONFAB_ROOT/build-fuzz}"
artifacts="${CONFAB_TEST_ARTIFACTS:-$CONFAB_ROOT/test-artifacts}/fuzz"
mkdir -p "$artifacts"

CC=clang-14 CXX=clang++-14 cmake -S "$CONFAB_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$CONFAB_RELWITHDEBINFO_FLAGS" -DCONFAB_FUZZ=ON -DCONFAB_BUILD_CLIENT=OFF -DCONFAB_BUILD_BENCH=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target fuzz_ws_frames fuzz_dispatcher fuzz_dns_messages

status=0
for target in ws_frames dispatcher dns_messages; do
    corpus="$(mktemp -d /tmp/confab-fuzz-corpus.XXXXXX)"
    cp "$CONFAB_ROOT/fuzz/corpus/$target/"* "$corpus/"
    echo "==> fuzz_$target for ${seconds}s"
    if ! QT_QPA_PLATFORM=offscreen "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=20 \
            -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "$corpus" \
            >"$artifacts/$target.log" 2>&1; then
        status=1
        tail -n 60 "$artifacts/$target.log"
        echo "FAIL: fuzz_$target found a crash; its input is in $artifacts (add it to fuzz/corpus/$target/)"
    else
        grep -E "^stat::(number_of_executed_units|peak_rss_mb)|cov:" "$artifacts/$target.log" | tail -n 3
    fi
    rm -rf "$corpus"
done
exit "$status"
