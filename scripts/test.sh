#!/usr/bin/env bash
# Builds Confab with its tests and runs every test (ctest). Exits non-zero on
# any failure. Used by CI through .ci/run: needs no display (offscreen Qt) and
# brings its own D-Bus session with an unlocked keyring for QtKeychain.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages "${CONFAB_BUILD_PACKAGES[@]}" "${CONFAB_CLIENT_PACKAGES[@]}" "${CONFAB_TEST_PACKAGES[@]}" \
    "${CONFAB_FUZZ_PACKAGES[@]}"
build_confab -DBUILD_TESTING=ON

# A private home for the run: the keyring, settings and test data of the
# tests never touch the user's own.
scratch="$(mktemp -d /tmp/confab-test.XXXXXX)"
# A private PostgreSQL for the store, server and cluster tests, in a directory
# of its own (as root it runs as the postgres user, who cannot enter $scratch).
pg_cluster="$(mktemp -d /tmp/confab-pg.XXXXXX)"
trap 'bash "$CONFAB_ROOT/scripts/pg-test-cluster.sh" stop "$pg_cluster" >/dev/null 2>&1 || true
      rm -rf "$scratch" "$pg_cluster"' EXIT
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=offscreen
# The packages above include every program the tests run (haproxy, nginx,
# /usr/bin/time, ...): from here on a missing one fails its test instead of
# skipping it (tests/support/dependency.h).
export CONFAB_REQUIRE_TOOLS=1
export CONFAB_TEST_ARTIFACTS="${CONFAB_TEST_ARTIFACTS:-$CONFAB_ROOT/test-artifacts}"
mkdir -p "$CONFAB_TEST_ARTIFACTS"

# Exports CONFAB_TEST_PG_URL, CONFAB_TEST_PG_CTL and CONFAB_REQUIRE_POSTGRES=1:
# from here on a PostgreSQL test that cannot reach its database fails.
echo "==> starting a private PostgreSQL in $pg_cluster"
pg_env="$(bash "$CONFAB_ROOT/scripts/pg-test-cluster.sh" start "$pg_cluster")"
eval "$pg_env"

# ctest runs inside one D-Bus session whose Secret Service (gnome-keyring)
# has an unlocked "login" collection, as a desktop session would. There a
# client test that cannot get its D-Bus pieces fails instead of skipping.
dbus-run-session -- bash -c '
    set -euo pipefail
    export CONFAB_REQUIRE_DESKTOP_BUS=1
    printf confab-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    ctest --test-dir "$1" --output-on-failure --parallel 2 --timeout 600
' confab-tests "$CONFAB_BUILD_DIR"

# A short, bounded fuzzing run (issue 6): the frame parser and the dispatcher
# with a real store, built with clang, ASan and UBSan. A crash fails CI.
echo "==> fuzzing for ${CONFAB_FUZZ_SECONDS:-30}s per target (scripts/fuzz.sh)"
bash "$CONFAB_ROOT/scripts/fuzz.sh" "${CONFAB_FUZZ_SECONDS:-30}"
