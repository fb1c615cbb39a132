#!/usr/bin/env bash
# Builds Confab, starts the server on SQLite (data in ~/.local/share/confab)
# and opens the desktop client on it. When the client closes, the server stops.
# Set CONFAB_SERVER_ONLY=1 to run just the server (arguments go to it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages "${CONFAB_BUILD_PACKAGES[@]}" "${CONFAB_CLIENT_PACKAGES[@]}"
build_confab -DBUILD_TESTING=OFF

server="$CONFAB_BUILD_DIR/server/confab-server"
client="$CONFAB_BUILD_DIR/client/confab"
if [ "${CONFAB_SERVER_ONLY:-0}" = 1 ] || [ ! -x "$client" ]; then
    echo "==> starting confab-server (Ctrl+C stops it)"
    exec "$server" "$@"
fi

echo "==> starting confab-server on ws://127.0.0.1:7860"
"$server" --port 7860 "$@" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
sleep 1
kill -0 "$server_pid" 2>/dev/null || { echo "confab-server did not start (is port 7860 in use?)" >&2; exit 1; }
echo "==> starting confab (a second window for another user: $client --profile bob)"
"$client" --server ws://127.0.0.1:7860
