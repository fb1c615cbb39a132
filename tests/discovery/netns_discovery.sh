#!/usr/bin/env bash
# LAN discovery between two hosts: network namespaces A and B joined by a
# veth pair. confab-server runs in A; in B the client's browser
# (discovery_probe) or, with "avahi", a private avahi-daemon + avahi-browse.
#
#   netns_discovery.sh probe SERVER_BIN PROBE_BIN   # find, goodbye, --discovery off
#   netns_discovery.sh avahi SERVER_BIN             # avahi-browse lists the server
#
# Needs root (ip netns). Without it the test reports skipped (exit 77) unless
# CONFAB_TEST_NETNS=1 (CI), where a missing capability is a failure.
# Namespaces, processes and files are removed on any exit.
set -euo pipefail

mode="${1:?mode: probe or avahi}"
server_bin="${2:?server binary}"
probe_bin="${3:-}"

# shellcheck source=../support/netns_pair.sh
source "$(dirname "$0")/../support/netns_pair.sh"
if [ "$mode" = avahi ]; then
    for tool in avahi-daemon avahi-browse dbus-daemon unshare; do
        command -v "$tool" >/dev/null || unavailable "$tool is not installed (scripts/lib.sh installs it)"
    done
fi
netns_pair_setup
id="$$"

# confab-server in A, on every interface of A; returns once it listens.
# Its discovery debug lines ("announcement 3 of 3 sent") are what the steps
# below wait for, rather than for fixed times.
start_server() {
    server_log="$work/server-$1.log"
    shift
    ip netns exec "$ns_a" env HOME="$work" QT_LOGGING_RULES="confab.server.discovery.debug=true" \
        "$server_bin" --host 0.0.0.0 --port 7890 \
        --db "sqlite:$work/server.db" --ops-port off --hash-threads 1 "$@" >"$server_log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    wait_until 10 "$server_pid" "the server did not start" grep -q "listening on" "$server_log"
}
stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid" || fail "the server did not exit cleanly"
}

name="Lab server $id 团队"
if [ "$mode" = probe ]; then
    [ -x "$probe_bin" ] || fail "no probe binary: $probe_bin"

    echo "==> B finds the server announced in A, then sees its goodbye"
    start_server one --server-name "$name"
    # The probe gives up after 20 s, far below the records' 120 s TTL: a
    # "gone" line within that time can only come from the goodbye.
    ip netns exec "$ns_b" "$probe_bin" --expect "$name" --wait-gone --timeout-ms 20000 >"$work/find.out" 2>&1 &
    probe_pid=$!
    pids+=("$probe_pid")
    wait_until 20 "$probe_pid" "B found nothing" grep -q "^found" "$work/find.out"
    expected=$(printf 'found\t%s\t%s\t7890\t0\t\tws://%s:7890/\t120' "$name" "$addr_a" "$addr_a")
    grep -qxF "$expected" "$work/find.out" || fail "B did not find the server as expected: $expected"
    stop_server
    wait "$probe_pid" || fail "B did not see the goodbye"
    grep -qxF "$(printf 'gone\t%s' "$name")" "$work/find.out" || fail "no goodbye line"
    echo "ok: found and gone"

    echo "==> --discovery off: nothing is announced"
    start_server off --server-name "$name" --discovery off
    ip netns exec "$ns_b" "$probe_bin" --expect-none --timeout-ms 5000 >"$work/none.out" 2>&1 ||
        fail "B found a server that has discovery off"
    stop_server
    echo "ok: nothing found"

    echo "==> a server started before its network announces once the interface is up (the rescan)"
    # --discovery-rescan-ms: the 30 s default made this step alone take ~30 s.
    ip -n "$ns_a" link set "$veth_a" down
    start_server late --server-name "$name late" --discovery-rescan-ms 500
    wait_until 10 "$server_pid" "the server did not report that no interface carries it" \
        grep -q "no multicast-capable interface carries" "$server_log"
    ip -n "$ns_a" link set "$veth_a" up
    ip netns exec "$ns_b" "$probe_bin" --expect "$name late" --timeout-ms 20000 >"$work/late.out" 2>&1 ||
        fail "B did not find the server whose interface came up later"
    grep -q "announcing .* on $veth_a" "$server_log" || fail "the server did not say it announces on $veth_a"
    stop_server
    echo "ok: found after the interface came up"
    exit 0
fi

# The server first, and its start-up announcements over before avahi starts:
# avahi must learn of it by asking (our answers to its queries), not from
# an announcement it happened to cache.
start_server one --server-name "$name"
wait_until 15 "$server_pid" "the server's start-up announcements did not end" \
    grep -q "announcement 3 of 3 sent" "$server_log"

# avahi-daemon in B with a private system bus; /run/avahi-daemon (its pid
# file and socket) is a private tmpfs in a mount namespace of its own.
cat >"$work/dbus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
CONF
cat >"$work/avahi.conf" <<CONF
[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=$veth_b
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/system_bus_socket"
dbus-daemon --config-file="$work/dbus.conf" --nofork --nopidfile >"$work/dbus.log" 2>&1 &
dbus_pid=$!
pids+=("$dbus_pid")
wait_until 5 "$dbus_pid" "the private D-Bus did not start" test -S "$work/system_bus_socket"
mkdir -p "$work/avahi-run"
ip netns exec "$ns_b" unshare --mount sh -c '
    mount --bind "$1" /run/avahi-daemon 2>/dev/null || { mkdir -p /run/avahi-daemon && mount --bind "$1" /run/avahi-daemon; }
    exec avahi-daemon --no-drop-root --no-chroot --no-rlimits --no-proc-title -f "$2"
' avahi "$work/avahi-run" "$work/avahi.conf" >"$work/avahi.log" 2>&1 &
avahi_pid=$!
pids+=("$avahi_pid")
wait_until 10 "$avahi_pid" "avahi-daemon did not start" grep -q "Server startup complete" "$work/avahi.log"

echo "==> avahi-browse in B lists the server announced in A"
found=""
for _ in $(seq 10); do
    ip netns exec "$ns_b" timeout 10 avahi-browse -rtp _confab._tcp >"$work/browse.out" 2>&1 || true
    found=$(grep '^=' "$work/browse.out" | grep ';7890;' || true)
    [ -n "$found" ] && break
    sleep 0.5
done
[ -n "$found" ] || fail "avahi-browse did not resolve the server"
echo "$found"
# =;iface;IPv4;name;_confab._tcp;local;host;address;port;"txt" ...
# avahi-browse escapes spaces and other bytes in names as \DDD.
IFS=';' read -r _ _ proto _ type _ _ address port txt <<<"$(head -n1 <<<"$found")"
[ "$proto" = IPv4 ] && [ "$type" = _confab._tcp ] && [ "$address" = "$addr_a" ] && [ "$port" = 7890 ] ||
    fail "unexpected resolution: $found"
for entry in '"v=1"' '"tls=0"' '"path=/"'; do
    grep -qF "$entry" <<<"$txt" || fail "TXT lacks $entry: $txt"
done
grep -qE "Lab( |\\\\032)server( |\\\\032)$id" <<<"$found" || fail "wrong name: $found"

echo "==> the client's browser shares port 5353 with avahi-daemon in B"
if [ -x "$probe_bin" ]; then
    ip netns exec "$ns_b" "$probe_bin" --expect "$name" --timeout-ms 15000 >"$work/beside-avahi.out" 2>&1 ||
        fail "the browser found nothing beside avahi-daemon"
    ! grep -q "is taken" "$work/beside-avahi.out" || fail "the browser could not share port 5353 with avahi"
    echo "ok: found beside avahi-daemon"
fi
stop_server
echo "ok: avahi-browse resolved the server"
