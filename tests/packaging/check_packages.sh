#!/usr/bin/env bash
# Builds the Debian packages with cpack and checks what is in them: files,
# control fields, conffiles, maintainer scripts, the systemd unit (verified,
# and its hardening scored offline), and that the packaged server starts from
# the packaged config. With CONFAB_TEST_INSTALL_PACKAGES=1 (CI, a throwaway
# machine, as root) the server package is also installed and purged; without
# it everything else is checked and the test then reports Skipped (exit 77),
# since what dpkg does with the package was not seen.
# Usage: check_packages.sh BUILD_DIR WITH_CLIENT(ON|OFF)
set -euo pipefail
build="$1"
with_client="$2"
scratch="$(mktemp -d /tmp/confab-packages.XXXXXX)"
server_pid=""
cleanup() {
    [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1) ||
    { cat "$scratch/cpack.log"; fail "cpack failed"; }
server_deb="$(ls "$scratch"/out/confab-server_*.deb)"
echo "built $(basename "$server_deb")"

contents="$(dpkg-deb -c "$server_deb")"
for path in ./usr/bin/confab-server ./etc/confab/confab-server.ini ./lib/systemd/system/confab-server.service \
            ./usr/share/doc/confab-server/README.md; do
    grep -q " $path\$" <<<"$contents" || fail "confab-server package lacks $path"
done
! grep -Eq "tst_|confab-bench|\.a\$|/include/" <<<"$contents" || fail "test, bench or build files in the package"
info="$(dpkg-deb -I "$server_deb")"
for field in "Package: confab-server" "Depends: libqt6sql6-sqlite" "conffiles" "postinst" "prerm" "postrm"; do
    grep -q "$field" <<<"$info" || fail "confab-server control lacks '$field'"
done
grep -q "libsodium" <<<"$info" || fail "shlibdeps did not add libsodium"
[ "$(dpkg-deb --ctrl-tarfile "$server_deb" | tar -xO ./conffiles)" = "/etc/confab/confab-server.ini" ] ||
    fail "the config is not a conffile"

dpkg-deb -x "$server_deb" "$scratch/root"
unit="$scratch/root/lib/systemd/system/confab-server.service"
for line in "User=confab" "StateDirectory=confab" "NoNewPrivileges=yes" "ProtectSystem=strict" \
            "ExecStart=/usr/bin/confab-server --config /etc/confab/confab-server.ini"; do
    grep -qx "$line" "$unit" || fail "unit lacks $line"
done
grep -qx "db = sqlite:/var/lib/confab/confab.db" "$scratch/root/etc/confab/confab-server.ini" ||
    fail "the packaged config does not put the database in /var/lib/confab"
grep -qx "data-dir = /var/lib/confab" "$scratch/root/etc/confab/confab-server.ini" ||
    fail "the packaged config does not put the data directory in /var/lib/confab"
for line in "host = 0.0.0.0" "tls = auto"; do
    grep -qx "$line" "$scratch/root/etc/confab/confab-server.ini" || fail "the packaged config lacks '$line'"
done
# systemd checks the unit as it would load it, with ExecStart at the extracted binary.
sed "s|/usr/bin/confab-server|$scratch/root/usr/bin/confab-server|" "$unit" >"$scratch/confab-server.service"
systemd-analyze verify "$scratch/confab-server.service" || fail "systemd-analyze verify"
exposure="$(systemd-analyze security --offline=yes "$scratch/confab-server.service" 2>/dev/null |
            sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
echo "systemd exposure score: $exposure (0 = locked down, 10 = exposed)"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e < 3.0) }' || fail "exposure $exposure is not under 3.0"

# The packaged binary, from the packaged config (database moved to scratch).
"$scratch/root/usr/bin/confab-server" --config "$scratch/root/etc/confab/confab-server.ini" \
    --data-dir "$scratch/data" --db "sqlite:$scratch/data/confab.db" --host 127.0.0.1 --port 0 --ops-port 0 \
    --discovery off >"$scratch/server.out" 2>"$scratch/server.err" &
server_pid=$!
for _ in $(seq 100); do
    grep -q "listening on wss://127.0.0.1:" "$scratch/server.out" 2>/dev/null && break
    sleep 0.1
done
grep -q "listening on wss://127.0.0.1:" "$scratch/server.out" || { cat "$scratch/server.err"; fail "packaged server did not start"; }
grep -q "^tls fingerprint SHA-256 " "$scratch/server.out" || fail "the packaged server printed no fingerprint"
[ -s "$scratch/data/tls/cert.pem" ] || fail "tls = auto made no certificate in the data directory"
kill "$server_pid" && wait "$server_pid" || true
server_pid=""
echo "packaged server started from the packaged config"

if [ "$with_client" = "ON" ]; then
    client_deb="$(ls "$scratch"/out/confab_*.deb)"
    echo "built $(basename "$client_deb")"
    contents="$(dpkg-deb -c "$client_deb")"
    for path in ./usr/bin/confab ./usr/share/applications/confab.desktop \
                ./usr/share/icons/hicolor/scalable/apps/confab.svg; do
        grep -q " $path\$" <<<"$contents" || fail "confab package lacks $path"
    done
    info="$(dpkg-deb -I "$client_deb")"
    for field in "Package: confab" "qml6-module-qtquick-controls" "libqt6keychain"; do
        grep -q "$field" <<<"$info" || fail "confab control lacks '$field'"
    done
fi

if [ "${CONFAB_TEST_INSTALL_PACKAGES:-}" != "1" ]; then
    echo "SKIPPED: installing and purging the package NOT RUN (CONFAB_TEST_INSTALL_PACKAGES=1 on a throwaway machine, as in CI)"
    exit 77
fi
if [ "$(id -u)" -eq 0 ]; then
    dpkg -i "$server_deb" >"$scratch/dpkg.log" 2>&1 || { cat "$scratch/dpkg.log"; fail "dpkg -i"; }
    getent passwd confab >/dev/null || fail "postinst created no confab user"
    /usr/bin/confab-server --version | grep -q "confab-server" || fail "installed binary"
    dpkg --purge confab-server >>"$scratch/dpkg.log" 2>&1 || { cat "$scratch/dpkg.log"; fail "dpkg --purge"; }
    [ ! -e /usr/bin/confab-server ] || fail "purge left /usr/bin/confab-server"
    echo "installed and purged confab-server"
else
    fail "CONFAB_TEST_INSTALL_PACKAGES=1 needs root to install the package"
fi
echo "PASS: packages"
