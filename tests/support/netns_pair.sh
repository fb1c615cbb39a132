# Two hosts on one machine, for the tests that need a real LAN: network
# namespaces A and B joined by a veth pair (IPv4, multicast works on it).
# Sourced by tests/discovery/netns_discovery.sh and tests/lan/lan_demo.sh.
#
#   netns_pair_setup    # sets ns_a ns_b veth_a veth_b addr_a addr_b work; A answers B's ping
#   pids+=($!)          # background processes killed on exit
#   fail "why"          # prints the logs in $work and exits 1
#   wait_until 10 "$pid" "what failed" grep -q line file
#
# Needs root (ip netns). Without it the caller's test reports skipped (exit
# 77) unless CONFAB_TEST_NETNS=1 (CI), where a missing capability is a
# failure. Namespaces, processes and $work are removed on any exit.
# shellcheck shell=bash

unavailable() {
    if [ "${CONFAB_TEST_NETNS:-}" = 1 ]; then
        echo "FAIL: $* (CONFAB_TEST_NETNS=1: network namespaces are required)"
        exit 1
    fi
    echo "SKIPPED: $*"
    exit 77
}

fail() {
    echo "FAIL: $*"
    for f in "$work"/*.log "$work"/*.out; do
        [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }
    done
    exit 1
}

# wait_until SECONDS PID WHAT COMMAND...: runs COMMAND every 0.1 s until it
# succeeds; fails saying WHAT if process PID exits first or time runs out.
wait_until() {
    local seconds="$1" pid="$2" what="$3"
    shift 3
    for _ in $(seq $((seconds * 10))); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || fail "$what (the process exited)"
        sleep 0.1
    done
    fail "$what (not within $seconds s)"
}

netns_pair_cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    ip netns del "$ns_a" 2>/dev/null || true
    ip netns del "$ns_b" 2>/dev/null || true
    rm -rf "$work"
}

netns_pair_setup() {
    [ "$(id -u)" -eq 0 ] || unavailable "not root: cannot create network namespaces"
    command -v ip >/dev/null || unavailable "ip (iproute2) is not installed"
    local id="$$"
    ns_a="confab-a-$id"
    ns_b="confab-b-$id"
    veth_a="cfa$id"
    veth_b="cfb$id"
    addr_a=10.231.$((id % 200)).1
    addr_b=10.231.$((id % 200)).2
    work="$(mktemp -d /tmp/confab-netns.XXXXXX)"
    pids=()
    trap netns_pair_cleanup EXIT

    # Namespaces of an earlier run that was killed (a ctest timeout sends
    # SIGKILL, which no trap sees): their script's pid is gone.
    local stale
    for stale in $(ip netns list 2>/dev/null | grep -oE '^confab-[ab]-[0-9]+'); do
        kill -0 "${stale##*-}" 2>/dev/null || ip netns del "$stale" 2>/dev/null || true
    done

    ip netns add "$ns_a" 2>"$work/netns.log" || unavailable "cannot create a network namespace: $(cat "$work/netns.log")"
    ip netns add "$ns_b"
    ip link add "$veth_a" type veth peer name "$veth_b"
    ip link set "$veth_a" netns "$ns_a"
    ip link set "$veth_b" netns "$ns_b"
    ip -n "$ns_a" addr add "$addr_a/24" dev "$veth_a"
    ip -n "$ns_b" addr add "$addr_b/24" dev "$veth_b"
    local ns
    for ns in "$ns_a" "$ns_b"; do
        ip -n "$ns" link set lo up
    done
    ip -n "$ns_a" link set "$veth_a" up
    ip -n "$ns_b" link set "$veth_b" up

    # The veth pair takes a moment to carry traffic (IPv4 DAD is instant, the
    # link state is not): wait until A answers a ping from B.
    for _ in $(seq 50); do
        ip netns exec "$ns_b" ping -c1 -W1 "$addr_a" >/dev/null 2>&1 && break
        sleep 0.1
    done
}
