#!/bin/sh
# The reference for confab-files-bench (bench/README.md, "Files"): nginx on
# loopback serving a 25 MiB file (GET) and accepting one (WebDAV PUT), timed
# with curl, and nginx's worker peak memory. Usage: bench/files-nginx.sh [bytes]
set -eu
size=${1:-26214400}
dir=$(mktemp -d)
trap 'kill "$(cat "$dir/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir -p "$dir/www" "$dir/tmp"
head -c "$size" /dev/urandom > "$dir/www/file.bin"
cp "$dir/www/file.bin" "$dir/upload.bin"
chmod -R a+rwX "$dir"  # the workers run as another user
cat > "$dir/nginx.conf" <<CONF
daemon on;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $dir/tmp;
    proxy_temp_path $dir/tmp;
    fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp;
    scgi_temp_path $dir/tmp;
    client_max_body_size 100m;
    server {
        listen 127.0.0.1:18086;
        root $dir/www;
        location /up/ { dav_methods PUT; create_full_put_path on; }
    }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir"
sleep 0.3
for run in 1 2 3; do
    curl -s -o /dev/null -w "GET  %{http_code} %{size_download} bytes %{time_total} s %{speed_download} B/s\n" \
        http://127.0.0.1:18086/file.bin
    curl -s -o /dev/null -T "$dir/upload.bin" -w "PUT  %{http_code} %{size_upload} bytes %{time_total} s %{speed_upload} B/s\n" \
        http://127.0.0.1:18086/up/file$run.bin
done
for pid in $(pgrep -P "$(cat "$dir/nginx.pid")"); do
    grep VmHWM "/proc/$pid/status" | sed "s/^/nginx worker $pid /"
done
