#!/usr/bin/env bash
# PostgreSQL with two instances (issue 17): starts a PostgreSQL cluster of its
# own (scripts/pg-test-cluster.sh: fsync and synchronous_commit on), two
# confab-server instances on it with the request limits lifted as
# `confab-bench --spawn` lifts them, and runs confab-bench against both
# (--url twice: its worker threads alternate between the instances, so about
# half the connections are on each and most deliveries cross instances).
# The report's server figures are both instances' sum (--server-pid twice).
#
#   bench/pg-two-instances.sh BUILD_DIR SCENARIO [confab-bench options]
#   e.g. bench/pg-two-instances.sh build chatmix --users 400 --groups 20 --dms 0 --dm-share 0 --rate 1500
#
# INSTANCES=1 runs one instance on the same database, for comparison.
#
# Users are registered over the protocol (argon2id, about 15 a second here),
# so keep --users in the hundreds.
set -euo pipefail

if [[ $# -lt 2 || $1 == -h || $1 == --help ]]; then
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
build_dir=$(cd "$1" && pwd)
scenario=$2
shift 2
server_bin="$build_dir/server/confab-server"
bench_bin="$build_dir/bench/confab-bench"
for bin in "$server_bin" "$bench_bin"; do
    [[ -x $bin ]] || { echo "pg-two-instances.sh: no $bin" >&2; exit 2; }
done
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

work=$(mktemp -d /tmp/confab-pg-two.XXXXXX)
chmod 755 "$work" # the postgres user must reach its data directory
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    bash "$repo/scripts/pg-test-cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

eval "$(bash "$repo/scripts/pg-test-cluster.sh" start "$work/pg")"
# The role may create databases, not tables in "postgres": a database of its own.
psql -q "$CONFAB_TEST_PG_URL" -c "CREATE DATABASE confab_bench" >/dev/null
db_url=${CONFAB_TEST_PG_URL%/postgres}/confab_bench

for kind in TYPING MARK_READ HISTORY SEARCH ROOM PING AUTH REGISTER; do
    export "CONFAB_${kind}_RATE=1000000" "CONFAB_${kind}_BURST=1000000"
done
urls=()
instances=(a b)
[[ ${INSTANCES:-2} == 1 ]] && instances=(a)
for name in "${instances[@]}"; do
    "$server_bin" --port 0 --db "$db_url" --hash-threads 2 --send-rate 1000000 --send-burst 1000000 \
        --max-connections-per-address 0 --max-unauthenticated-connections 0 \
        >"$work/$name.out" 2>"$work/$name.log" &
    pids+=($!)
    for _ in $(seq 1 300); do
        grep -q "listening on " "$work/$name.log" 2>/dev/null && break
        sleep 0.1
    done
    # stdout is a file here, so its "listening on" line waits in a buffer: the log has it too.
    url=$(grep -o "listening on ws://[^ ]*" "$work/$name.log" | head -1 | awk '{print $3}' || true)
    [[ -n $url ]] || { echo "instance $name did not start:" >&2; tail -20 "$work/$name.log" >&2; exit 1; }
    urls+=(--url "$url")
done

pid_args=()
for pid in "${pids[@]}"; do pid_args+=(--server-pid "$pid"); done
"$bench_bin" "$scenario" "${urls[@]}" "${pid_args[@]}" "$@"
