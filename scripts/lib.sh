# Shared by run.sh and test.sh: package lists and the build.
# shellcheck shell=bash

CONFAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian 12 packages, by role.
CONFAB_BUILD_PACKAGES=(build-essential cmake ninja-build pkg-config qt6-base-dev qt6-websockets-dev
                       libqt6sql6-sqlite libqt6sql6-psql libsodium-dev libssl-dev)
CONFAB_CLIENT_PACKAGES=(qt6-declarative-dev qtkeychain-qt6-dev libgl-dev
                        qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
                        qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
                        qml6-module-qtqml qt6-qpa-plugins fonts-noto-cjk fonts-noto-color-emoji gnome-keyring dbus)
# postgresql-15, haproxy and nginx: the tests run private instances of each.
# openssl: the client TLS tests make their certificates with it.
# systemd: systemd-analyze checks the packaged unit (tests/packaging).
# avahi-daemon, avahi-utils: the mDNS interop check runs a private avahi in a network namespace (iproute2: ip netns).
# time: /usr/bin/time -v reports the admin import/export peak RSS (tests/admin).
CONFAB_TEST_PACKAGES=(sqlite3 openssl postgresql-15 haproxy nginx qml6-module-qttest dbus-x11 xvfb xauth systemd
                      avahi-daemon avahi-utils iproute2 time)
# scripts/fuzz.sh: libFuzzer comes with clang's runtime libraries.
CONFAB_FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)
# Daemons the tests only need as programs: their system services are kept
# from starting when the scripts install them (nginx would take port 80).
CONFAB_QUIET_DAEMONS=(postgresql-15 haproxy nginx avahi-daemon)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs whatever of the given packages is missing (nothing to do: no apt run).
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "==> installing: ${missing[*]}"
        as_root apt-get update -q
        local policy=/usr/sbin/policy-rc.d quiet=""
        for p in "${missing[@]}"; do
            [[ " ${CONFAB_QUIET_DAEMONS[*]} " == *" $p "* ]] && quiet=1
        done
        if [ -n "$quiet" ] && [ ! -e "$policy" ]; then
            # Debian's documented switch: invoke-rc.d starts nothing while it exits 101.
            printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
            as_root chmod 755 "$policy"
        else
            quiet=""
        fi
        local status=0
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
            status=$?
        [ -z "$quiet" ] || as_root rm -f "$policy"
        return "$status"
    fi
}

# Line tables only (-g1) instead of full debug info (-g): backtraces and
# sanitizer reports keep file:line, and the build takes a fifth less time
# (measured on tst_server_messages.cpp: 6.8 s -> 5.4 s; the CI budget, issue 13).
CONFAB_RELWITHDEBINFO_FLAGS="-O2 -g1 -DNDEBUG"

# Configures and builds into $CONFAB_BUILD_DIR (default: build/).
build_confab() {
    CONFAB_BUILD_DIR="${CONFAB_BUILD_DIR:-$CONFAB_ROOT/build}"
    cmake -S "$CONFAB_ROOT" -B "$CONFAB_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$CONFAB_RELWITHDEBINFO_FLAGS" "$@"
    cmake --build "$CONFAB_BUILD_DIR" --parallel "$(nproc)"
}
