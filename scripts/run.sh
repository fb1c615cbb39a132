#!/usr/bin/env bash
# Builds Confab and starts the server on SQLite (data in ~/.local/share/confab).
# Extra arguments go to confab-server, e.g. --port 7861.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages "${CONFAB_BUILD_PACKAGES[@]}"
build_confab -DBUILD_TESTING=OFF

echo "==> starting confab-server (Ctrl+C stops it)"
exec "$CONFAB_BUILD_DIR/server/confab-server" "$@"
