#!/usr/bin/env bash
# Issue 6's "done when", end to end on two hosts: network namespaces A (the
# spare machine that runs the server) and B (a colleague's desktop) joined by
# a veth pair.
#
#   lan_demo.sh SERVER_BIN CLIENT_BIN
#
#  1. A: the server starts with one command (`confab-server --host 0.0.0.0
#     --tls auto`, plus a private data directory and a name for the test);
#     the admin creates bob with `confab-server admin create-user`.
#  2. B: the client window (CLIENT_BIN = lan_demo_client, offscreen, its own
#     D-Bus session and keyring) lists the server, signs a new user up,
#     trusts the printed fingerprint and chats with bob over wss://.
#  3. A: /metrics shows live figures; `admin backup` runs while both chat.
#  4. A: the certificate is replaced and the server restarted; B is warned
#     with both fingerprints, accepts the new one and chats on.
#  5. A: `admin restore` puts the backup back; the restored server holds
#     exactly the messages the backup counted.
#
# Root only (ip netns): skipped (77) without it unless CONFAB_TEST_NETNS=1
# (CI), where that fails. Screenshots: $CONFAB_TEST_ARTIFACTS/lan-*.png.
set -euo pipefail

server_bin="${1:?server binary}"
client_bin="${2:?client program (lan_demo_client)}"

# shellcheck source=../support/netns_pair.sh
source "$(dirname "$0")/../support/netns_pair.sh"
for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || unavailable "$tool is not installed (scripts/lib.sh installs it)"
done
netns_pair_setup

data="$work/data"
demo="$work/demo"
mkdir -p "$data" "$demo"
name="Team chat 团队 $$"

# The one command, in A. Sets server_pid and fingerprint.
start_server() {
    local log="$work/server-$1.log"
    ip netns exec "$ns_a" "$server_bin" --host 0.0.0.0 --tls auto \
        --data-dir "$data" --server-name "$name" --hash-threads 1 >"$log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    wait_until 10 "$server_pid" "the server did not start" grep -q "^tls fingerprint SHA-256 " "$log"
    fingerprint=$(sed -n 's/^tls fingerprint SHA-256 //p' "$log")
}
stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid" || fail "the server did not exit cleanly"
}
admin() {
    ip netns exec "$ns_a" "$server_bin" admin "$@" --data-dir "$data"
}
# Waits up to $2 seconds for the demo file $1 while the client runs.
await() {
    wait_until "$2" "$client_pid" "no $1 from the client" test -s "$demo/$1"
}
metrics() {
    ip netns exec "$ns_a" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7861
        printf "GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3
        cat <&3'
}
metric() {
    awk -v name="$1" '$1 == name { print int($2) }' <<<"$2"
}
# True once the server has stored more than $1 messages.
stored_more_than() {
    local stored
    stored=$(metric confab_messages_total "$(metrics)")
    [ -n "$stored" ] && [ "$stored" -gt "$1" ]
}

echo "==> A: confab-server --host 0.0.0.0 --tls auto"
start_server one
first="$fingerprint"
echo "fingerprint $first"
echo "$first" >"$demo/fingerprint1"
printf "%s\n" "bob's long password" |
    admin create-user bob --display-name "Bob 王" --password-stdin >"$work/admin.out" 2>&1 ||
    fail "admin create-user bob"

echo "==> B: the client finds the server, a new user trusts it and chats"
scratch="$work/client-home"
mkdir -p "$scratch/run" && chmod 700 "$scratch/run"
ip netns exec "$ns_b" env HOME="$scratch" XDG_RUNTIME_DIR="$scratch/run" XDG_CONFIG_HOME="$scratch/.config" \
    XDG_DATA_HOME="$scratch/.local/share" XDG_CACHE_HOME="$scratch/.cache" QT_QPA_PLATFORM=offscreen \
    CONFAB_DEMO_DIR="$demo" CONFAB_DEMO_SERVER_NAME="$name" \
    CONFAB_TEST_ARTIFACTS="${CONFAB_TEST_ARTIFACTS:-$work}" \
    dbus-run-session -- bash -c 'printf confab-demo | gnome-keyring-daemon --unlock --components=secrets >/dev/null
                                exec "$0"' "$client_bin" >"$work/client.out" 2>&1 &
client_pid=$!
pids+=("$client_pid")
await chatting 90
before=$(cat "$demo/chatting")

echo "==> A: live metrics while they chat"
live=$(metrics)
for check in "confab_connections 2" "confab_online_users 2" "confab_tls_handshakes_total 2" \
             "confab_messages_total $before"; do
    read -r metric_name minimum <<<"$check"
    value=$(metric "$metric_name" "$live")
    [ -n "$value" ] && [ "$value" -ge "$minimum" ] || fail "$metric_name is '$value', expected >= $minimum"
    echo "$metric_name $value"
done

echo "==> A: admin backup while they chat"
# The chat goes on from "chatting" until a few messages after "backup-done":
# start the backup once it has visibly gone on, so that its snapshot cuts
# through the conversation, with messages on both sides of the cut.
wait_until 30 "$client_pid" "the chat did not go on after $before messages" stored_more_than "$before"
admin backup "$work/backup.db" >"$work/backup.out" 2>&1 || fail "admin backup"
cat "$work/backup.out"
backed_up=$(sed -n 's/.* \([0-9]*\) messages, integrity ok$/\1/p' "$work/backup.out")
[ -n "$backed_up" ] || fail "admin backup did not report its message count"
echo done >"$demo/backup-done"
await replace-now 60
after=$(cat "$demo/replace-now")
[ "$before" -lt "$backed_up" ] ||
    fail "the backup holds $backed_up messages, no more than when the chat began ($before): nothing written during the chat is in it"
[ "$backed_up" -lt "$after" ] ||
    fail "the backup holds $backed_up messages, as many as the whole chat ($after): nothing was written after its snapshot"

echo "==> A: the certificate is replaced; B must be warned"
stop_server
rm "$data/tls/cert.pem" "$data/tls/key.pem"
start_server two
[ "$fingerprint" != "$first" ] || fail "the replaced certificate has the old fingerprint"
echo "new fingerprint $fingerprint"
echo "$fingerprint" >"$demo/fingerprint2"
wait "$client_pid" || fail "the client's side failed (see client.out)"
grep -E "^(PASS|FAIL|Totals)" "$work/client.out"

echo "==> A: admin restore puts the backup back"
stop_server
admin restore "$work/backup.db" >"$work/restore.out" 2>&1 || fail "admin restore"
cat "$work/restore.out"
start_server three
rooms=$(admin list-rooms --json)
restored=$(grep -o '"messageCount": [0-9]*' <<<"$rooms" | grep -o '[0-9]*$')
[ "$restored" = "$backed_up" ] || fail "the restored room has $restored messages, the backup counted $backed_up"
admin list-users | grep -q alice || fail "alice is not in the restored database"
stop_server
echo "ok: found, trusted, chatted ($after messages), backed up $backed_up of them mid-chat ($before before the chat went on), warned on the replaced certificate, restored"
