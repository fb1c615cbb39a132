#!/usr/bin/env bash
# Builds Confab with its tests and runs every test (ctest). Exits non-zero on
# any failure. Used by CI through .ci/run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages "${CONFAB_BUILD_PACKAGES[@]}" "${CONFAB_TEST_PACKAGES[@]}"
build_confab -DBUILD_TESTING=ON

export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$CONFAB_BUILD_DIR" --output-on-failure --parallel 2 --timeout 600
