#!/usr/bin/env bash
# Side by side with the seed design (issue 17): runs bench/seed-baseline/load.js
# with the same arguments against the seed's server (Node + Socket.IO,
# in-memory store) and against confab-server (SQLite in a temporary
# directory), one after the other, each on a fresh server on a free port.
# Prints a markdown table and writes the JSON to bench/results/.
#
#   bench/compare-seed.sh BUILD_DIR [load.js options, e.g. --duration 10 --rate 1500]
#
# RUNS=N alternates N pairs (seed, confab, seed, confab, ...) to show the
# spread between identical runs.
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
build_dir=$(cd "$1" && pwd)
shift
server_bin="$build_dir/server/confab-server"
[[ -x $server_bin ]] || { echo "compare-seed.sh: no $server_bin (build the confab-server target)" >&2; exit 2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
baseline="$repo/bench/seed-baseline"
runs=${RUNS:-1}

# The baseline's dependencies, exactly as locked, when missing or stale.
if [[ ! -f $baseline/node_modules/.package-lock.json ||
      $baseline/package-lock.json -nt $baseline/node_modules/.package-lock.json ]]; then
    (cd "$baseline" && npm ci --no-audit --no-fund --loglevel=error)
fi

work=$(mktemp -d /tmp/confab-compare-seed.XXXXXX)
server_pid=""
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# wait_for FILE REGEX: the first match of REGEX in FILE once it appears (30 s).
wait_for() {
    local line
    for _ in $(seq 300); do
        line=$(grep -o -m1 -E "$2" "$1" 2>/dev/null || true)
        if [[ -n $line ]]; then echo "$line"; return 0; fi
        kill -0 "$server_pid" 2>/dev/null || { echo "compare-seed.sh: the server exited:" >&2; cat "$1" >&2; return 1; }
        sleep 0.1
    done
    echo "compare-seed.sh: no '$2' in $1 after 30 s" >&2
    return 1
}

stop_server() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

run_seed() { # OUT_JSON load-args...
    local out=$1; shift
    (cd "$baseline" && PORT=0 exec node server.js >"$work/seed.log" 2>&1) &
    server_pid=$!
    local port
    port=$(wait_for "$work/seed.log" 'listening [0-9]+' | cut -d' ' -f2)
    node "$baseline/load.js" --target seed --url "http://127.0.0.1:$port" --server-pid "$server_pid" --json "$@" >"$out"
    stop_server
}

run_confab() { # OUT_JSON load-args...
    local out=$1; shift
    local dir="$work/confab-$RANDOM"
    mkdir -p "$dir"
    # The flags confab-bench --spawn uses (bench/server_process.cpp): the
    # per-user send limit and the connection caps out of the way, the other
    # per-request limits lifted through the environment. Registration limits
    # too, because load.js makes its users with `register`.
    local -a limits=()
    for kind in TYPING MARK_READ HISTORY SEARCH ROOM PING; do
        limits+=("CONFAB_${kind}_RATE=1000000" "CONFAB_${kind}_BURST=1000000")
    done
    env "${limits[@]}" "$server_bin" --port 0 --db "sqlite:$dir/bench.db" --data-dir "$dir" \
        --ops-port 0 --discovery off --hash-threads 2 \
        --send-rate 1000000 --send-burst 1000000 \
        --max-connections-per-address 0 --max-unauthenticated-connections 0 \
        --register-rate 1000000 --register-burst 1000000 --hash-per-address 64 \
        >"$dir/stdout.log" 2>"$dir/server.log" &
    server_pid=$!
    local url
    url=$(wait_for "$dir/stdout.log" 'listening on ws://[^ ]+' | cut -d' ' -f3)
    node "$baseline/load.js" --target confab --url "$url" --server-pid "$server_pid" --json "$@" >"$out"
    stop_server
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
files=()
for ((i = 1; i <= runs; ++i)); do
    echo "run $i/$runs: seed ..." >&2
    run_seed "$work/seed-$i.json" "$@"
    files+=("seed=$work/seed-$i.json")
    echo "run $i/$runs: confab ..." >&2
    run_confab "$work/confab-$i.json" "$@"
    files+=("confab=$work/confab-$i.json")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -p "$repo/bench/results"
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null) ]]; then commit="$commit-dirty"; fi
stamp=$(date -u +%Y%m%dT%H%M%SZ)
result="$repo/bench/results/seed-compare-$stamp-$commit.json"
COMMIT=$commit LOAD_BEFORE=$load_before LOAD_AFTER=$load_after SERVER_BIN=$server_bin \
    node "$baseline/compare-report.js" "$result" "$*" "${files[@]}"
echo "wrote $result" >&2
