#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests, in a directory of its own.
#
#   pg-test-cluster.sh start|stop|restart|status DIR
#   pg-test-cluster.sh --dir DIR start|stop|restart|status   (the form of $CONFAB_TEST_PG_CTL)
#
# start   creates the cluster on first use (initdb: UTF8, locale C.UTF-8), starts
#         it on 127.0.0.1 with a free port (kept for later starts) and a
#         unix-socket directory inside DIR, creates a login role with CREATEDB
#         and a password, and prints the variables the tests read as `export`
#         lines (also kept in DIR/env): eval "$(pg-test-cluster.sh start DIR)".
# stop    fast shutdown; restart: fast shutdown, then start on the same port.
# status  exit 0 when the cluster runs.
#
# As root, PostgreSQL runs as the `postgres` system user (initdb refuses root)
# and DIR is handed to it; otherwise as the caller. Nothing outside DIR is
# touched: the system cluster (15/main) is neither needed nor started.
set -euo pipefail

PG_BIN="${CONFAB_PG_BIN:-/usr/lib/postgresql/15/bin}"
ROLE=confab_test

usage() {
    echo "usage: $0 start|stop|restart|status DIR  (or: $0 --dir DIR ACTION)" >&2
    exit 2
}

action="" dir=""
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) [ $# -ge 2 ] || usage; dir="$2"; shift 2 ;;
        start|stop|restart|status) action="$1"; shift ;;
        *) [ -z "$dir" ] || usage; dir="$1"; shift ;;
    esac
done
if [ -z "$action" ] || [ -z "$dir" ]; then usage; fi
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 is not installed ($PG_BIN/initdb missing; Debian package postgresql-15)" >&2; exit 1; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
data="$dir/data" sockets="$dir/sockets" log="$dir/postgresql.log"
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
cd / # the postgres user may not be able to enter the caller's directory

# Runs a command as the cluster's owner.
if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    as_owner() { runuser -u postgres -- "$@"; }
else
    owner="$(id -un)"
    as_owner() { "$@"; }
fi

is_running() { as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
superuser_psql() { as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$sockets" -p "$(cat "$dir/port")" -U "$owner" -d postgres "$@"; }

init_cluster() {
    if [ "$owner" = postgres ]; then
        chown postgres: "$dir"
        as_owner test -x "$dir" || { echo "the postgres user cannot reach $dir (make its parents traversable)" >&2; exit 1; }
    fi
    chmod 700 "$dir"
    as_owner mkdir -p "$sockets"
    as_owner "$PG_BIN/initdb" -D "$data" --encoding=UTF8 --locale=C.UTF-8 --username="$owner" \
        --auth-local=peer --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    # Test speed without giving up durability: fsync, full_page_writes and
    # synchronous_commit stay on, so a commit the server acknowledged survives
    # as it would in production (the tests kill servers mid-burst and restart
    # PostgreSQL under load). What goes: WAL for replication (wal_level
    # minimal, no senders), and checkpoints during a run (a large
    # max_wal_size). fsync stays on: an fdatasync costs ~0.6 ms on this disk
    # (pg_test_fsync), so commits are not what makes the tests slow; creating
    # their databases is. CREATE DATABASE keeps PG 15's default WAL_LOG
    # strategy, measured on the 2-core dev box: 0.09-0.2 s per database
    # (it WAL-logs template1's ~7.5 MB), where FILE_COPY took 0.28-0.39 s
    # (two checkpoints); DROP DATABASE ... WITH (FORCE) ~0.05 s.
    as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# --- confab test cluster (scripts/pg-test-cluster.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockets'
max_connections = 200
wal_level = minimal
max_wal_senders = 0
max_wal_size = 4GB
checkpoint_timeout = 30min
log_min_messages = warning
log_min_error_statement = panic
EOF
    local password
    password="$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')"
    as_owner tee "$dir/password" >/dev/null <<<"$password"
}

# A port below the kernel's ephemeral range: every loopback connection and
# every test server listening on port 0 takes its port from that range, so a
# port chosen inside it can be taken between our check and PostgreSQL's bind
# (a CI run lost a suite to exactly that).
choose_port() {
    if [ -s "$dir/port" ]; then return; fi
    local low=32768 port
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    [ "$low" -gt 12000 ] || low=32768
    for _ in $(seq 50); do
        port=$((10000 + RANDOM % (low - 10000)))
        port_in_use "$port" || { as_owner tee "$dir/port" >/dev/null <<<"$port"; return; }
    done
    echo "no free port found for PostgreSQL" >&2
    exit 1
}

start() {
    [ -f "$data/PG_VERSION" ] || init_cluster
    local fresh=0 attempt
    [ -s "$dir/port" ] || fresh=1
    choose_port
    for attempt in 1 2 3 4 5; do
        is_running && break
        if as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$log" -o "-p $(cat "$dir/port")" -w -t 60 start >/dev/null; then
            break
        fi
        # A freshly chosen port someone else bound meanwhile: choose again.
        # A kept port is what the tests' URLs name, so it never changes.
        if [ "$fresh" -eq 1 ] && [ "$attempt" -lt 5 ] && tail -n 30 "$log" | grep -q "Address already in use"; then
            rm -f "$dir/port"
            choose_port
            continue
        fi
        echo "PostgreSQL did not start; its log ($log):" >&2
        tail -n 30 "$log" >&2
        exit 1
    done
    local password
    password="$(cat "$dir/password")"
    superuser_psql -v role="$ROLE" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SQL
    cat >"$dir/env" <<EOF
export CONFAB_TEST_PG_URL='postgresql://$ROLE:$password@127.0.0.1:$(cat "$dir/port")/postgres'
export CONFAB_TEST_PG_CTL='bash $self --dir $dir'
export CONFAB_REQUIRE_POSTGRES=1
EOF
    cat "$dir/env"
}

stop() {
    [ -f "$data/PG_VERSION" ] || return 0
    if is_running; then
        as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    fi
}

case "$action" in
    start) start ;;
    stop) stop ;;
    restart) stop; start >/dev/null ;;
    status) is_running ;;
esac
