#!/usr/bin/env bash
# Failover under load: three NGINX backends behind Sluice (health checks, outlier detection, retries with the
# default 20 % budget), wrk for 14 s, one backend killed with SIGKILL after 3 s and restarted 4 s later.
# Prints wrk's totals (any "Non-2xx" or "Socket errors" line is a client-visible error), Sluice's retry and
# 5xx counters, and how long after the kill the backend left rotation and after the restart it rejoined.
#   scripts/failover.sh [--port-base PORT]      (default 18180: Sluice, PORT+1..+3 backends, PORT+9 admin)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base=18180
[[ "${1:-}" == "--port-base" ]] && base="${2:?}"
for tool in nginx wrk curl; do command -v "$tool" >/dev/null || { echo "failover: $tool is missing" >&2; exit 2; }; done
work="$(mktemp -d /tmp/sluice-failover.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT

backend() {   # backend N: an NGINX answering 200 on PORT+N, its own process so it can be killed alone
  local n=$1 d="$work/b$1"
  mkdir -p "$d"
  cat > "$d/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $d/pid; error_log $d/error.log warn;
events {}
http { access_log off; client_body_temp_path $d/t1; proxy_temp_path $d/t2; fastcgi_temp_path $d/t3;
  uwsgi_temp_path $d/t4; scgi_temp_path $d/t5;
  server { listen 127.0.0.1:$((base + n)); location / { return 200 "backend $n\n"; } } }
CONF
  nginx -p "$d" -e "$d/error.log" -c "$d/nginx.conf" >/dev/null 2>&1 &
  pids+=($!)
}
for n in 1 2 3; do backend "$n"; done
cat > "$work/sluice.yaml" <<CONF
runtime: { workers: 2, state_dir: $work/state }
admin: { bind: 127.0.0.1:$((base + 9)) }
listeners:
  - { name: main, bind: 127.0.0.1:$base, routes: [ { cluster: web } ] }
clusters:
  - name: web
    backends: [ { address: 127.0.0.1:$((base + 1)) }, { address: 127.0.0.1:$((base + 2)) }, { address: 127.0.0.1:$((base + 3)) } ]
    health_check: { type: http, path: /, interval: 250ms, timeout: 200ms, rise: 2, fall: 2 }
    outlier_detection: { consecutive_failures: 3, base_ejection: 2s, max_ejection_percent: 50 }
    retries: { attempts: 2, on: [connect_failure, reset, "503"], budget_percent: 20 }
CONF
JAVA_TOOL_OPTIONS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS" "$root/sluice" run --config "$work/sluice.yaml" > "$work/sluice.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$base/" && break; sleep 0.1; done
wrk -t2 -c48 -d14s "http://127.0.0.1:$base/" > "$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 3
victim=$(cat "$work/b3/pid")
flip() {   # flip WORD: the time of day (ms) of the newest "backend 3 is now WORD" line of Sluice's log
  grep -E "backend 127.0.0.1:$((base + 3)) is now $1:" "$work/sluice.log" | grep ClusterRuntime | tail -1 |
    awk '{split($1, t, "[:.]"); print ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4]}'
}
day_ms() { local t; t=$(date +%T.%3N); awk -v t="$t" 'BEGIN{split(t, a, "[:.]"); print ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4]}'; }
killed=$(day_ms)
kill -9 "$victim" $(pgrep -P "$victim") 2>/dev/null
for _ in $(seq 400); do [[ -n "$(flip unhealthy)" ]] && break; sleep 0.01; done
sleep 4
restarted=$(day_ms)
backend 3
wait "$wrk_pid"
grep -E "requests in|Non-2xx|Socket errors" "$work/wrk.txt"
curl -s "http://127.0.0.1:$((base + 9))/metrics" | grep -E '^sluice_cluster_(retries|retry|responses_total\{cluster="web",class="5xx")'
left=$(( $(flip unhealthy) - killed ))
back=$(( $(flip healthy) - restarted ))
echo "left rotation ${left} ms after the kill; rejoined ${back} ms after the restart (Sluice's log)"
