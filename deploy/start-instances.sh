#!/usr/bin/env bash
# Starts N chat instances (ports 3001..300N) against one Postgres and one Redis, behind nginx on :8080.
# Usage: DATABASE_URL=postgres://… REDIS_URL=redis://… AUTH_SECRET=… deploy/start-instances.sh [N]
# Needs a production build (npm run build) and nginx. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-2}"
: "${DATABASE_URL:?set DATABASE_URL: instances must share one Postgres}"
: "${REDIS_URL:?set REDIS_URL: instances fan out through one Redis}"
: "${AUTH_SECRET:?set AUTH_SECRET: every instance must accept the same session cookies}"
public_url="${PUBLIC_URL:-http://localhost:8080}"

run_dir="$(mktemp -d)"
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT INT TERM

servers=""
for i in $(seq 1 "$count"); do
  port=$((3000 + i))
  PORT="$port" PUBLIC_URL="$public_url" npm run --silent serve > "$run_dir/instance-$i.log" 2>&1 &
  pids+=($!)
  servers+="    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;\n"
  echo "instance $i on :$port (log: $run_dir/instance-$i.log)"
done

# The committed config with this run's upstream list.
sed -e '/upstream chat {/,/}/{/server 127.0.0.1/d}' -e "s|    ip_hash;|    ip_hash;\n${servers%\\n}|" deploy/nginx.conf > "$run_dir/nginx.conf"
nginx -p "$run_dir" -c "$run_dir/nginx.conf" -g "daemon off; pid $run_dir/nginx.pid; error_log stderr warn;" &
pids+=($!)
echo "load balancer on $public_url"
wait
