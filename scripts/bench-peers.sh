#!/usr/bin/env bash
# Side-by-side benchmark: Sluice, HAProxy and NGINX as reverse proxies in front of the same NGINX backends,
# same worker count, same CPU set, same load; plus the load generator straight to a backend as the ceiling.
# Run with --help for the flags. Everything listens on 127.0.0.1; every process started here is stopped on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

# ---------------------------------------------------------------------------------------------- defaults
proxy_cpus="0"
load_cpus="1"
workers=1
duration=10
connections="16 64 256"
bodies="64 1k"
only="haproxy,nginx,sluice,direct"
sluice_jar="$repo/lb-admin/target/sluice.jar"
java_bin="/usr/lib/jvm/java-17-openjdk-amd64/bin/java"
[[ -x "$java_bin" ]] || java_bin="$(command -v java || true)"
sluice_b_jar=""               # a second Sluice ("sluice-b") when this or sluice_b_java is set
sluice_b_java=""
rate=""                      # fixed-rate target (req/s); empty = 50% of the HAProxy maximum for that body
rate_clients=64
warmup=40                    # seconds of extra JIT warm-up for Sluice before measuring (0: no warm-up at all)
churn=20000                  # client connections opened and closed during every proxy's warm-up
upstream_churn=20000         # and backend connections: requests whose backend reply closes its connection
settle_cycles=10             # at most this many extra warm-up passes over the loads until a JVM's JIT is quiet
settle_jit_ms=30             # "quiet": its compiler threads used at most this much CPU in one whole pass
settle_quiet=2               # quiet passes in a row that end the settling
rounds=3                     # every load runs once per round against every target; the table shows medians
port_base=18080              # backends on +1 and +2; HAProxy on +0, NGINX on +3, Sluice on +4, sluice-b on +5
out_dir="$repo/bench-results"
install_missing=1
pause_idle=1                 # 1: the proxies not being measured are stopped (SIGSTOP) during each run
browser=0                    # 1: every request carries a browser's fields, not only Host
close=0                      # 1: every request asks to close its connection, so each one opens a new connection
policy=0                     # 1: sluice-b runs with the API-policy module on; every request carries an API key
# the heap of a proxy run; then what the policy module's memory-mapped store needs (as the launcher gives it)
default_java_opts="-XX:+UseParallelGC -Xms64m -Xmx256m -XX:MaxDirectMemorySize=256m -XX:+ExitOnOutOfMemoryError
  -Dio.netty.leakDetection.samplingInterval=4096
  -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED"

usage() {
  cat <<EOF
Usage: scripts/bench-peers.sh [OPTIONS]        (also: ./sluice bench [OPTIONS])

Puts HAProxy, NGINX and Sluice side by side in front of the same two NGINX backends (same worker count, same
CPUs, equivalent keep-alive settings) and drives them with the same load:
  * closed loop: wrk at each connection count for --duration seconds;
  * fixed rate:  h2load --h1 --rps at ~50% of the HAProxy maximum (open-ish loop, percentiles from its
                 per-request log);
and the same load straight to one backend ("direct") as the ceiling. Prints a markdown table, writes
bench-results/peers-<timestamp>.json and bench-results/peers-<timestamp>.png (latency percentiles).

Options:
  --proxy-cpus LIST     CPUs for the proxies under test, taskset syntax      (default: $proxy_cpus)
  --load-cpus LIST      CPUs for wrk/h2load and the backends                (default: $load_cpus)
  --workers N           HAProxy nbthread / NGINX worker_processes / Sluice workers (default: $workers)
  --duration SECONDS    length of each measured run                         (default: $duration)
  --connections "LIST"  wrk connection counts                               (default: "$connections")
  --bodies "LIST"       response bodies to fetch, from: 64 1k               (default: "$bodies")
  --only LIST           comma-separated subset of haproxy,nginx,sluice,direct (default: $only)
  --rate N              fixed-rate target in req/s (default: 50% of the HAProxy max; else of the first target)
  --rate-clients N      connections for the fixed-rate run                  (default: $rate_clients)
  --warmup SECONDS      Sluice JIT warm-up before measuring (not reported)  (default: $warmup)
                        Every proxy also gets, unrecorded: $churn client connection set-ups, $upstream_churn
                        backend connection set-ups (replies whose backend closes its connection), 2 s at
                        each connection count and 3 s at a fixed rate (--rate, else half of its warm-up
                        maximum). --warmup 0 skips all of it and measures a cold start.
  --settle-cycles N     then, for each Sluice, up to N more such passes over the connection counts
                        (each with an eighth of those connection set-ups),
                        until $settle_quiet passes in a row cost its JIT compiler threads at most ${settle_jit_ms} ms of CPU each
                        (default: $settle_cycles; 0: none). Compiling shares the proxy CPU with the event
                        loop: a burst of it shows as p99 of several ms. The JIT ms column shows what
                        compiling remained in each measured run.
  --sluice-jar PATH     runnable jar                                        (default: lb-admin/target/sluice.jar)
  --java PATH           java binary for Sluice (JDK 17 default; e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
  --sluice-b-jar PATH   also run a second Sluice, "sluice-b", from this jar (default: Sluice's) in the same
  --sluice-b-java PATH  rounds, with this java binary (default: Sluice's): an A/B of two builds, two JDKs or,
                        with SLUICE_B_JAVA_OPTS, two sets of JVM options; either flag adds it
  --rounds N            rounds; each runs every load against every target in turn (default: $rounds)
  --browser             send the fields a browser sends with every request (User-Agent, Accept, Accept-Language,
                        Accept-Encoding, Referer, Cookie, Cache-Control: 9 field lines, ~450 bytes) instead of
                        wrk's and h2load's bare requests; every target parses them
  --close               every request carries "Connection: close": one new client connection per request, the
                        cost of accepting and setting up connections (the proxies keep their backend connections
                        alive as always); no fixed-rate run, since h2load does not reopen closed connections
  --policy              run sluice-b (same jar and java as Sluice unless given) with the API-policy module on:
                        one api over every path, API keys, a plan whose rate and daily quota no run exhausts;
                        every request to every target carries the key, so only sluice-b checks it
  --port-base PORT      backends on PORT+1, +2; HAProxy +0, NGINX +3, Sluice +4, sluice-b +5 (default: $port_base)
  --out DIR             where JSON and PNG go                               (default: bench-results/)
  --no-install          fail instead of apt-get installing missing tools
  --no-pause            leave the proxies that are not being measured running (idle) during each run; by
                        default they are stopped (SIGSTOP) and continued after it, so that their timers, garbage
                        collections and JIT compiling cannot take the measured proxy's CPU
  -h, --help            this text

Environment: SLUICE_JAVA_OPTS replaces the Sluice JVM options
  (default: $default_java_opts);
  SLUICE_B_JAVA_OPTS replaces sluice-b's (default: Sluice's).

Columns: req/s = completed requests / elapsed; p50/p99/p99.9 = latency in ms; CPU us/req = proxy process
user+system CPU time over the run (all its processes, /proc/PID/stat) / requests, "of it user" its user-space
part (the rest is the kernel's work for it: sockets, system calls); peak RSS = VmHWM summed
over the proxy's processes at the end. Figures are medians over the rounds; a ratio (x) is the median of each
round's ratio to HAProxy's (or NGINX's) run of the same load in the same round, with their range in brackets.
EOF
}

die() { echo "bench-peers: $*" >&2; exit 2; }
log() { echo "bench-peers: $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --proxy-cpus) proxy_cpus="${2:?}"; shift 2 ;;
    --load-cpus) load_cpus="${2:?}"; shift 2 ;;
    --workers) workers="${2:?}"; shift 2 ;;
    --duration) duration="${2:?}"; shift 2 ;;
    --connections) connections="${2:?}"; shift 2 ;;
    --bodies) bodies="${2:?}"; shift 2 ;;
    --only) only="${2:?}"; shift 2 ;;
    --rate) rate="${2:?}"; shift 2 ;;
    --rate-clients) rate_clients="${2:?}"; shift 2 ;;
    --warmup) warmup="${2:?}"; shift 2 ;;
    --settle-cycles) settle_cycles="${2:?}"; shift 2 ;;
    --sluice-jar) sluice_jar="${2:?}"; shift 2 ;;
    --java) java_bin="${2:?}"; shift 2 ;;
    --sluice-b-jar) sluice_b_jar="${2:?}"; shift 2 ;;
    --sluice-b-java) sluice_b_java="${2:?}"; shift 2 ;;
    --port-base) port_base="${2:?}"; shift 2 ;;
    --rounds) rounds="${2:?}"; shift 2 ;;
    --out) out_dir="${2:?}"; shift 2 ;;
    --no-install) install_missing=0; shift ;;
    --no-pause) pause_idle=0; shift ;;
    --browser) browser=1; shift ;;
    --close) close=1; shift ;;
    --policy) policy=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

[[ "$workers" =~ ^[1-9][0-9]*$ ]] || die "--workers must be a positive integer, got '$workers'"
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || die "--duration must be whole seconds, got '$duration'"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive whole number, got '$rounds'"
[[ "$warmup" =~ ^[0-9]+$ ]] || die "--warmup must be whole seconds, got '$warmup'"
[[ "$settle_cycles" =~ ^[0-9]+$ ]] || die "--settle-cycles must be a whole number, got '$settle_cycles'"
[[ -z "$rate" || "$rate" =~ ^[1-9][0-9]*$ ]] || die "--rate must be a positive integer, got '$rate'"
for c in $connections; do [[ "$c" =~ ^[1-9][0-9]*$ ]] || die "--connections: '$c' is not a positive integer"; done
for b in $bodies; do [[ "$b" == 64 || "$b" == 1k ]] || die "--bodies: '$b' is not one of 64 1k"; done
targets=()
for t in haproxy nginx sluice direct; do   # fixed order: HAProxy first so its max sets the fixed rate
  [[ ",$only," == *",$t,"* ]] && targets+=("$t")
done
IFS=',' read -ra only_list <<< "$only"
for t in "${only_list[@]}"; do
  [[ "$t" =~ ^(haproxy|nginx|sluice|direct)$ ]] || die "--only: unknown target '$t' (haproxy,nginx,sluice,direct)"
done
[[ ${#targets[@]} -gt 0 ]] || die "--only selected nothing"
if (( policy )) && [[ -z "$sluice_b_jar$sluice_b_java" ]]; then
  sluice_b_jar="$sluice_jar"   # the module on against the same build with it off
fi
if [[ -n "$sluice_b_jar$sluice_b_java" ]]; then
  [[ " ${targets[*]} " == *" sluice "* ]] || die "sluice-b is compared with Sluice: keep sluice in --only"
  with_b=()
  for t in "${targets[@]}"; do with_b+=("$t"); [[ $t == sluice ]] && with_b+=(sluice-b); done
  targets=("${with_b[@]}")
  sluice_b_jar="${sluice_b_jar:-$sluice_jar}"
  sluice_b_java="${sluice_b_java:-$java_bin}"
fi
backend_ports=($((port_base + 1)) $((port_base + 2)))
# the fields wrk and h2load add to each request under --browser (both take -H)
request_fields=()
if (( browser )); then
  request_fields=(
    -H "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    -H "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    -H "Accept-Language: en-US,en;q=0.5"
    -H "Accept-Encoding: gzip, deflate, br"
    -H "Referer: https://www.example.com/"
    -H "Cookie: session=0123456789abcdef0123456789abcdef; theme=dark"
    -H "Cache-Control: max-age=0")
fi
policy_key=""
if (( policy )); then
  policy_key="sk_bench_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"   # a key for this run only
  request_fields+=(-H "x-api-key: $policy_key")
fi
warm_fields=("${request_fields[@]}")   # the warm-up's kept-alive connections: every field but "Connection: close"
if (( close )); then
  request_fields+=(-H "Connection: close")
fi
declare -A port_of=([haproxy]=$port_base [nginx]=$((port_base + 3)) [sluice]=$((port_base + 4)) [sluice-b]=$((port_base + 5)) [direct]=${backend_ports[0]})

# ---------------------------------------------------------------------------------------------- tools
need_pkgs=()
command -v haproxy >/dev/null || need_pkgs+=(haproxy)
command -v nginx >/dev/null || need_pkgs+=(nginx)
command -v wrk >/dev/null || need_pkgs+=(wrk)
command -v h2load >/dev/null || need_pkgs+=(nghttp2-client)
command -v gnuplot >/dev/null || need_pkgs+=(gnuplot-nox)
command -v taskset >/dev/null || need_pkgs+=(util-linux)
command -v python3 >/dev/null || need_pkgs+=(python3)
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
  [[ $install_missing -eq 1 ]] || die "missing tools: ${need_pkgs[*]} (install them or drop --no-install)"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  log "installing ${need_pkgs[*]} from Debian"
  if ! $sudo apt-get install -y "${need_pkgs[@]}" >&2; then
    $sudo apt-get update >&2
    $sudo apt-get install -y "${need_pkgs[@]}" >&2
  fi
fi
if [[ " ${targets[*]} " == *" sluice "* ]]; then
  [[ -f "$sluice_jar" ]] || die "no Sluice jar at $sluice_jar (build it: mvn -DskipTests package -pl lb-admin -am, or pass --sluice-jar)"
  [[ -x "$java_bin" ]] || die "no java binary at '$java_bin' (pass --java PATH)"
fi
if [[ " ${targets[*]} " == *" sluice-b "* ]]; then
  [[ -f "$sluice_b_jar" ]] || die "no jar at $sluice_b_jar (--sluice-b-jar)"
  [[ -x "$sluice_b_java" ]] || die "no java binary at '$sluice_b_java' (--sluice-b-java)"
fi
# Sluice's JVM options as the launchers start it: the launcher script adds the options that depend on the Java
# version (Unsafe memory access on Java 23 and later), and prints them instead of starting java.
launcher_options() {   # launcher_options JAVA JAR OPTIONS
  SLUICE_JAVA="$1" SLUICE_JAR="$2" SLUICE_JAVA_OPTS="$3" SLUICE_PRINT_JAVA_OPTIONS=1 \
    sh "$repo/scripts/sluice-installed.sh"
}
sluice_opts="" sluice_b_opts=""
if [[ " ${targets[*]} " == *" sluice "* ]]; then
  sluice_opts="$(launcher_options "$java_bin" "$sluice_jar" "${SLUICE_JAVA_OPTS:-$default_java_opts}")" \
    || die "the launcher refused $java_bin with $sluice_jar"
fi
if [[ " ${targets[*]} " == *" sluice-b "* ]]; then
  sluice_b_opts="$(launcher_options "$sluice_b_java" "$sluice_b_jar" \
    "${SLUICE_B_JAVA_OPTS:-${SLUICE_JAVA_OPTS:-$default_java_opts}}")" \
    || die "the launcher refused $sluice_b_java with $sluice_b_jar"
fi
clk_tck=$(getconf CLK_TCK)
loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------- scratch + cleanup
work="$(mktemp -d /tmp/sluice-bench.XXXXXX)"
started=()
stop_pid() {   # TERM, wait up to 5 s, then KILL; only processes this script started
  local pid=$1 i p
  for p in $(proc_tree "$pid"); do kill -CONT "$p" 2>/dev/null || true; done   # a stopped process holds TERM
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${started[@]}"; do stop_pid "$pid"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() {   # wait_port PORT PID: until something accepts on 127.0.0.1:PORT, or fail after 30 s
  local port=$1 pid=$2 i
  for i in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "${port_of[@]}" "${backend_ports[@]}"; do port_free "$p" || die "port $p on 127.0.0.1 is in use (pick --port-base)"; done

# all processes of one proxy: the pid and its descendants
proc_tree() {
  local pid=$1 c
  echo "$pid"
  for c in $(cat "/proc/$pid/task/"*/children 2>/dev/null); do proc_tree "$c"; done
}
stat_ticks() {   # "utime stime" of a process's or thread's stat file, in clock ticks; fails once it is gone
  local f
  f=$(cat "$1" 2>/dev/null) || return 1
  f=${f##*) }                       # drop "pid (comm) " (comm may contain spaces)
  read -ra fs <<< "$f"
  echo "${fs[11]} ${fs[12]}"        # fields 14 and 15 of stat, counted from field 3
}
cpu_ticks() {   # "utime+stime utime jit" of the pid tree, in clock ticks (jit: jit_ticks of the pid itself)
  local total=0 user=0 p u s
  for p in $(proc_tree "$1"); do
    read -r u s < <(stat_ticks "/proc/$p/stat") || continue
    total=$((total + u + s))
    user=$((user + u))
  done
  echo "$total $user $(jit_ticks "$1")"
}
jit_ticks() {   # utime+stime of a JVM's JIT compiler threads ("C1 CompilerThread0"...), in clock ticks; 0 for others
  local total=0 t u s
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == C[12]\ CompilerThre* ]] || continue
    read -r u s < <(stat_ticks "$t/stat") || continue
    total=$((total + u + s))
  done
  echo "$total"
}
tick_delta() {   # tick_delta "T0 U0 J0" "T1 U1 J1": "total:user:jit" ticks between two readings, or - without a pid
  [[ $1 == - ]] && { echo -; return; }
  local a b
  read -ra a <<< "$1"
  read -ra b <<< "$2"
  echo "$((b[0] - a[0])):$((b[1] - a[1])):$((b[2] - a[2]))"
}
peak_rss_kib() {   # sum of VmHWM over the pid tree
  local total=0 p v
  for p in $(proc_tree "$1"); do
    v=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# ---------------------------------------------------------------------------------------------- backends
body64="$(printf 'x%.0s' $(seq 63))"
body1k="$(printf 'x%.0s' $(seq 1023))"
mkdir -p "$work/backend" "$work/nginx-proxy" "$work/haproxy" "$work/sluice" "$work/sluice-b"
nginx_temp_paths() {   # keep every file NGINX writes under the scratch dir
  local d=$1
  cat <<EOF
  client_body_temp_path $d/client_body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
EOF
}
cat > "$work/backend/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/backend/nginx.pid;
error_log $work/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
$(nginx_temp_paths "$work/backend")
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  default_type text/plain;
  server {
    listen 127.0.0.1:${backend_ports[0]} backlog=4096;
    listen 127.0.0.1:${backend_ports[1]} backlog=4096;
    location = /64 { return 200 "$body64\n"; }
    location = /close { keepalive_timeout 0; return 200 "$body64\n"; }
    location = /1k { return 200 "$body1k\n"; }
  }
}
EOF
taskset -c "$load_cpus" nginx -p "$work/backend" -e "$work/backend/error.log" -c "$work/backend/nginx.conf" \
  >"$work/backend/stdout.log" 2>&1 &
backend_pid=$!
started+=("$backend_pid")
wait_port "${backend_ports[0]}" "$backend_pid" || { cat "$work/backend/"*.log >&2; die "backend NGINX did not start"; }
log "backends: NGINX (1 worker, CPUs $load_cpus) on 127.0.0.1:${backend_ports[0]} and :${backend_ports[1]}"

# ---------------------------------------------------------------------------------------------- load generators
cat > "$work/report.lua" <<'EOF'
-- Prints one machine-readable line with exact figures (latency in microseconds).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50=%d p90=%d p99=%d p999=%d max=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
EOF
results="$work/results.jsonl"
: > "$results"
declare -A max_rps=()        # TARGET/BODY: the most req/s of its recorded closed-loop runs
declare -A warm_max_rps=()   # and of its warm-up runs
current_round=0

# record TARGET BODY LOAD CONNS REQS SECONDS P50 P90 P99 P999 MAX ERRORS TOTAL:USER_TICKS|- CLK_TCK (latencies in us)
record() {
  BENCH_ROUND="$current_round" python3 - "$@" >> "$results" <<'EOF'
import json, os, sys
a = sys.argv[1:]
t, body, load, conns = a[0], a[1], a[2], int(a[3])
reqs, secs = int(a[4]), float(a[5])
p50, p90, p99, p999, mx = (float(x) for x in a[6:11])
errors, ticks, tck = int(a[11]), a[12], int(a[13])
cpu_s = None if ticks == "-" else int(ticks.split(":")[0]) / tck
user_s = None if ticks == "-" else int(ticks.split(":")[1]) / tck
jit_s = None if ticks == "-" else int(ticks.split(":")[2]) / tck
print(json.dumps({
  "target": t, "round": int(os.environ["BENCH_ROUND"]), "body": body, "load": load, "connections": conns,
  "requests": reqs, "seconds": secs,
  "rps": reqs / secs if secs > 0 else 0.0,
  "latency_ms": {"p50": p50 / 1000, "p90": p90 / 1000, "p99": p99 / 1000, "p99.9": p999 / 1000, "max": mx / 1000},
  "errors": errors, "cpu_seconds": cpu_s,
  "jit_cpu_ms": None if jit_s is None else jit_s * 1000,
  "cpu_us_per_request": (cpu_s * 1e6 / reqs) if (cpu_s is not None and reqs > 0) else None,
  "user_cpu_us_per_request": (user_s * 1e6 / reqs) if (user_s is not None and reqs > 0) else None}))
EOF
}

# Only the proxy being measured runs: during each run the others are stopped (SIGSTOP), and continued after it.
# Idle, they would still wake for their timers, collect garbage and (the JVMs) compile on the measured proxy's CPU.
stopped_pids=()
stop_others() {   # stop_others TARGET: stops every started proxy but TARGET's (all of them for direct)
  (( pause_idle )) || return 0
  local t p
  for t in "${targets[@]}"; do
    [[ $t == "$1" || -z ${pid_of[$t]:-} || ${pid_of[$t]} == - ]] && continue
    for p in $(proc_tree "${pid_of[$t]}"); do
      kill -STOP "$p" 2>/dev/null && stopped_pids+=("$p")
    done
  done
  return 0
}
continue_others() {
  local p
  for p in "${stopped_pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; done
  stopped_pids=()
}

wrk_threads() { local n; n=$(taskset -c "$load_cpus" nproc); (( $1 < n )) && n=$1; echo "$n"; }

run_wrk() {   # run_wrk TARGET PID PORT BODY CONNS SECONDS [record]
  local t=$1 pid=$2 port=$3 body=$4 c=$5 secs=$6 rec=${7:-} out t0 t1 line
  out="$work/wrk-$t-$body-$c.txt"
  stop_others "$t"
  t0=$( [[ $pid == - ]] && echo - || cpu_ticks "$pid")
  taskset -c "$load_cpus" wrk -t"$(wrk_threads "$c")" -c"$c" -d"${secs}s" --timeout 5s --latency \
    -s "$work/report.lua" "${request_fields[@]}" "http://127.0.0.1:$port/$body" > "$out" 2>&1 || { cat "$out" >&2; die "wrk failed against $t"; }
  t1=$( [[ $pid == - ]] && echo - || cpu_ticks "$pid")
  continue_others
  line=$(grep '^BENCH ' "$out") || { cat "$out" >&2; die "wrk printed no result line for $t"; }
  # shellcheck disable=SC2086 # key=value pairs become variables w_*
  eval "$(echo "${line#BENCH }" | tr ' ' '\n' | sed 's/^/local w_/')"
  local rps key="$t/$body"
  rps=$(awk "BEGIN{printf \"%d\", $w_requests/($w_duration_us/1e6)}")
  if [[ -z "$rec" ]]; then
    if [[ -z "${warm_max_rps[$key]:-}" || $rps -gt ${warm_max_rps[$key]} ]]; then warm_max_rps[$key]=$rps; fi
    return 0
  fi
  local ticks
  ticks=$(tick_delta "$t0" "$t1")
  record "$t" "$body" "closed" "$c" "$w_requests" "$(awk "BEGIN{print $w_duration_us/1e6}")" \
    "$w_p50" "$w_p90" "$w_p99" "$w_p999" "$w_max" "$((w_errors + w_non2xx))" "$ticks" "$clk_tck"
  log "  $t body=$body wrk c=$c: $rps req/s, p99 $(awk "BEGIN{print $w_p99/1000}") ms, errors $((w_errors + w_non2xx))"
  if [[ -z "${max_rps[$key]:-}" || $rps -gt ${max_rps[$key]} ]]; then max_rps[$key]=$rps; fi
}

# warm_connections PORT BODY: connection set-up on both sides of the proxy, as a long-running one has seen it:
# $churn short-lived client connections, one request each, then $upstream_churn requests on kept-alive client
# connections that the backend answers with "Connection: close", so the proxy opens a backend connection for
# every one. A JIT that met connection set-up only in the measured runs (the pool grows at the start of each
# run at a higher connection count) would compile and deoptimize its read loop there.
warm_connections() {   # warm_connections PORT BODY [CLIENTS BACKENDS]: default $churn and $upstream_churn
  local port=$1 body=$2 clients=${3:-$churn} backends=${4:-$upstream_churn} n
  n=$(( clients < 256 ? clients : 256 ))
  (( n > 0 )) && for _ in $(seq $(( clients / n ))); do
    warm_h2load "http://127.0.0.1:$port/$body" -c"$n" -n"$n"
  done
  (( backends > 0 )) || return 0
  warm_h2load "http://127.0.0.1:$port/close" -c64 -n"$backends"
}
# warm_h2load URL H2LOAD_OPTIONS...: h2load with the warm-up's fields; every request it counts (all of -n, or those
# a -D run finished) must get a 2xx reply
warm_h2load() {
  local url=$1 out total ok
  shift
  out=$(taskset -c "$load_cpus" h2load --h1 -t1 "$@" "${warm_fields[@]}" "$url" 2>&1) \
    || { echo "$out" >&2; die "h2load failed against $url during the warm-up"; }
  total=$(awk '/^requests:/ {print $2}' <<< "$out")
  ok=$(awk '/^status codes:/ {print $3}' <<< "$out")
  [[ -n "$total" && "$total" == "$ok" ]] \
    || { echo "$out" >&2; die "not every warm-up request to $url got a 2xx reply"; }
}

# warm_rate TARGET PORT BODY SECONDS: h2load at a fixed rate, as the measured fixed-rate run will: at --rate, else
# at half of the target's most req/s in its warm-up (the measured rate, half of HAProxy's maximum, is not known
# yet). At half load the event loop sleeps and wakes between requests and reads one request at a time, branches
# that closed-loop runs seldom take; a JIT that first met them in the measured run would compile there.
warm_rate() {
  local t=$1 port=$2 body=$3 secs=$4 total per
  (( ! close )) || return 0   # no fixed-rate runs with --close
  total=${rate:-$(( ${warm_max_rps["$t/$body"]:?no warm-up run for $t/$body} / 2 ))}
  per=$(( (total + rate_clients - 1) / rate_clients ))
  stop_others "$t"
  warm_h2load "http://127.0.0.1:$port/$body" -c"$rate_clients" -m1 --rps="$per" -D "$secs"
  continue_others
}

run_rate() {   # run_rate TARGET PID PORT BODY TOTAL_RPS: h2load at a fixed rate, percentiles from its log
  local t=$1 pid=$2 port=$3 body=$4 total=$5 per out t0 t1 ticks=-
  local clients=$rate_clients
  per=$(( (total + clients - 1) / clients ))
  out="$work/h2load-$t-$body-r$current_round"
  rm -f "$out.log"   # h2load appends to an existing log
  stop_others "$t"
  t0=$( [[ $pid == - ]] && echo - || cpu_ticks "$pid")
  taskset -c "$load_cpus" h2load --h1 -t1 -c"$clients" -m1 --rps="$per" -D "$duration" \
    --log-file="$out.log" "${request_fields[@]}" "http://127.0.0.1:$port/$body" > "$out.txt" 2>&1 || { cat "$out.txt" >&2; die "h2load failed against $t"; }
  t1=$( [[ $pid == - ]] && echo - || cpu_ticks "$pid")
  continue_others
  ticks=$(tick_delta "$t0" "$t1")
  # log lines (tab-separated): start time (us since the epoch), status, latency (us)
  read -r n p50 p90 p99 p999 mx errs < <(python3 - "$out.log" <<'EOF'
import sys
lat, errs = [], 0
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 3: continue
    if not f[1].startswith("2"): errs += 1
    lat.append(int(f[2]))
lat.sort()
def pct(p):
    if not lat: return 0
    return lat[min(len(lat) - 1, int(p / 100.0 * len(lat)))]
print(len(lat), pct(50), pct(90), pct(99), pct(99.9), lat[-1] if lat else 0, errs)
EOF
)
  local failed; failed=$(awk '/^requests:/ {for (i=1;i<=NF;i++) if ($(i+1)=="failed,") print $i}' "$out.txt")
  record "$t" "$body" "rate=$total" "$clients" "$n" "$duration" "$p50" "$p90" "$p99" "$p999" "$mx" \
    "$((errs + ${failed:-0}))" "$ticks" "$clk_tck"
  log "  $t body=$body h2load ${total} req/s fixed: done $n, p99 $(awk "BEGIN{print $p99/1000}") ms"
}

# ---------------------------------------------------------------------------------------------- proxies
upstreams_nginx() { local p; for p in "${backend_ports[@]}"; do echo "    server 127.0.0.1:$p;"; done; }
start_haproxy() {
  cat > "$work/haproxy/haproxy.cfg" <<EOF
global
  nbthread $workers
  maxconn 8000
  pidfile $work/haproxy/haproxy.pid
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
  option http-keep-alive
  http-reuse always
frontend bench
  bind 127.0.0.1:${port_of[haproxy]}
  default_backend backends
backend backends
  balance roundrobin
  server b1 127.0.0.1:${backend_ports[0]}
  server b2 127.0.0.1:${backend_ports[1]}
EOF
  taskset -c "$proxy_cpus" haproxy -db -f "$work/haproxy/haproxy.cfg" > "$work/haproxy/stdout.log" 2>&1 &
  proxy_pid=$!
}
start_nginx() {
  cat > "$work/nginx-proxy/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $work/nginx-proxy/nginx.pid;
error_log $work/nginx-proxy/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
$(nginx_temp_paths "$work/nginx-proxy")
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  upstream backends {
$(upstreams_nginx)
    keepalive 512;
    keepalive_requests 100000000;
  }
  server {
    listen 127.0.0.1:${port_of[nginx]} reuseport backlog=4096;
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  taskset -c "$proxy_cpus" nginx -p "$work/nginx-proxy" -e "$work/nginx-proxy/error.log" \
    -c "$work/nginx-proxy/nginx.conf" > "$work/nginx-proxy/stdout.log" 2>&1 &
  proxy_pid=$!
}
# start_sluice NAME JAVA JAR OPTIONS [policy]: one Sluice, its config and log under $work/NAME
start_sluice() {
  local name=$1 java=$2 jar=$3 options=$4 with_policy=${5:-}
  cat > "$work/$name/sluice.yaml" <<EOF
runtime: { workers: $workers, transport: auto }
admin: { bind: 127.0.0.1:0 }
listeners:
  - name: bench
    bind: 127.0.0.1:${port_of[$name]}
    routes: [ { match: { path_prefix: / }, cluster: backends } ]
clusters:
  - name: backends
    balancer: round_robin
    backends: [ { address: 127.0.0.1:${backend_ports[0]} }, { address: 127.0.0.1:${backend_ports[1]} } ]
EOF
  if [[ -n "$with_policy" ]]; then
    cat >> "$work/$name/sluice.yaml" <<EOF
policy:
  store: $work/$name/policy-store
  plans:
    bench: { rate: 100000000/s, burst: 100000, quota: 1000000000/day }
  consumers:
    - { name: bench, plan: bench, key_sha256: "$(printf '%s' "$policy_key" | sha256sum | cut -d' ' -f1)" }
  apis:
    - name: bench
      match: { path_prefix: / }
      auth: api_key
      key_header: x-api-key
EOF
  fi
  local opts
  # shellcheck disable=SC2206 # options are separated by spaces
  opts=($options)
  taskset -c "$proxy_cpus" "$java" "${opts[@]}" -jar "$jar" run --config "$work/$name/sluice.yaml" \
    > "$work/$name/stdout.log" 2>&1 &
  proxy_pid=$!
}

# All proxies run side by side (each on its own port, all pinned to the same CPUs, stopped while another one is
# measured unless --no-pause), and every round runs each load against each target in turn: a drift of the
# machine's speed over the minutes of a run then hits every target alike instead of whichever happened to run last.
declare -A pid_of=([direct]=-)
for t in "${targets[@]}"; do
  [[ $t == direct ]] && continue
  case $t in
    sluice) start_sluice sluice "$java_bin" "$sluice_jar" "$sluice_opts" ;;
    sluice-b) start_sluice sluice-b "$sluice_b_java" "$sluice_b_jar" "$sluice_b_opts" "${policy_key:+policy}" ;;
    *) "start_$t" ;;
  esac
  pid_of[$t]=$proxy_pid
  started+=("$proxy_pid")
  wait_port "${port_of[$t]}" "$proxy_pid" \
    || { cat "$work"/*/stdout.log "$work"/*/error.log >&2 2>/dev/null || true; die "$t did not start"; }
  log "$t: pid $proxy_pid on 127.0.0.1:${port_of[$t]}, $workers worker(s) on CPUs $proxy_cpus"
done
[[ " ${targets[*]} " == *" direct "* ]] && log "direct: the load generator straight to one backend (ceiling, no proxy)"

# Warm-up (not recorded), the same for every target: connection set-up, then 2 s at each load level and 3 s at a
# fixed rate, so the measured runs see the state a long-running proxy is in. Sluice first gets extra seconds for
# its JIT.
if (( warmup > 0 )); then
  for t in "${targets[@]}"; do
    for body in $bodies; do
      if [[ $t == sluice* ]]; then run_wrk "$t" "${pid_of[$t]}" "${port_of[$t]}" "$body" 64 "$warmup"; fi
      warm_connections "${port_of[$t]}" "$body"
      for c in $connections; do run_wrk "$t" "${pid_of[$t]}" "${port_of[$t]}" "$body" "$c" 2; done
      warm_rate "$t" "${port_of[$t]}" "$body" 3
    done
  done
  # The JIT keeps recompiling for a while after each change of load (code compiled for one load level meets
  # branches it never saw at another); on the proxy's one CPU that compiling preempts the event loop for
  # milliseconds at a time. A long-running proxy is past it, so its JVMs go on over all load levels until
  # $settle_quiet whole passes in a row leave the compiler threads nearly idle (one quiet pass can be a lull).
  # Each pass also sets up an eighth of the warm-up's connections on both sides: a measured round does too
  # (the backend pool's idle connections time out while other proxies are measured), and code that runs once
  # per connection reaches the JIT's thresholds thousands of connections later than per-request code.
  for t in "${targets[@]}"; do
    [[ $t == sluice* ]] || continue
    quiet=0
    for cycle in $(seq "$settle_cycles"); do
      j0=$(jit_ticks "${pid_of[$t]}")
      for body in $bodies; do
        warm_connections "${port_of[$t]}" "$body" $(( churn / 8 )) $(( upstream_churn / 8 ))
        for c in $connections; do run_wrk "$t" "${pid_of[$t]}" "${port_of[$t]}" "$body" "$c" 2; done
        warm_rate "$t" "${port_of[$t]}" "$body" 3
      done
      jit_ms=$(( ($(jit_ticks "${pid_of[$t]}") - j0) * 1000 / clk_tck ))
      log "$t: settling pass $cycle, JIT compiler threads $jit_ms ms"
      if (( jit_ms <= settle_jit_ms )); then quiet=$((quiet + 1)); else quiet=0; fi
      (( quiet < settle_quiet )) || break
      (( cycle < settle_cycles )) || log "$t: still compiling after $settle_cycles passes; measuring anyway"
    done
  done
  log "warm-up done"
fi

declare -A rate_for=()
for current_round in $(seq "$rounds"); do
  log "round $current_round of $rounds"
  for body in $bodies; do
    for c in $connections; do
      for t in "${targets[@]}"; do run_wrk "$t" "${pid_of[$t]}" "${port_of[$t]}" "$body" "$c" "$duration" record; done
    done
    if [[ -z "${rate_for[$body]:-}" ]]; then   # fixed once, from the first round's closed-loop maxima
      r=$rate
      [[ -n "$r" ]] || r=$(( ${max_rps["haproxy/$body"]:-${max_rps["${targets[0]}/$body"]}} / 2 ))
      rate_for[$body]=$r
    fi
    if (( rate_for[$body] > 0 && ! close )); then
      for t in "${targets[@]}"; do run_rate "$t" "${pid_of[$t]}" "${port_of[$t]}" "$body" "${rate_for[$body]}"; done
    fi
  done
done

declare -A rss_mib=()
for t in "${targets[@]}"; do
  [[ $t == direct ]] && continue
  rss_mib[$t]=$(awk "BEGIN{printf \"%.1f\", $(peak_rss_kib "${pid_of[$t]}")/1024}")
  log "$t: peak RSS ${rss_mib[$t]} MiB"
done

# ---------------------------------------------------------------------------------------------- report
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
json="$out_dir/peers-$stamp.json"
png="$out_dir/peers-$stamp.png"
rss_args=()
for t in "${!rss_mib[@]}"; do rss_args+=("$t=${rss_mib[$t]}"); done
java_version=""
[[ " ${targets[*]} " == *" sluice "* ]] && java_version=$("$java_bin" -version 2>&1 | head -1)
java_b_version=""
[[ " ${targets[*]} " == *" sluice-b "* ]] && java_b_version=$("$sluice_b_java" -version 2>&1 | head -1)
BENCH_STAMP="$stamp" BENCH_LOADAVG="$loadavg_before" BENCH_PROXY_CPUS="$proxy_cpus" BENCH_LOAD_CPUS="$load_cpus" \
BENCH_WORKERS="$workers" BENCH_DURATION="$duration" BENCH_CONNECTIONS="$connections" BENCH_BODIES="$bodies" \
BENCH_RATE_CLIENTS="$rate_clients" BENCH_HAPROXY="$(haproxy -v 2>/dev/null | head -1 | awk '{print $3}' || true)" \
BENCH_NGINX="$(nginx -v 2>&1 | sed 's|.*/||' || true)" BENCH_WRK="$(wrk -v 2>&1 | head -1 | awk '{print $2}' || true)" \
BENCH_JAVA="$java_version" BENCH_JAR="$sluice_jar" BENCH_JAVA_OPTS="$sluice_opts" \
BENCH_B_JAVA="$java_b_version" BENCH_B_JAR="$sluice_b_jar" BENCH_B_JAVA_OPTS="$sluice_b_opts" \
BENCH_TARGETS="${targets[*]}" BENCH_ROUNDS="$rounds" BENCH_BROWSER="$browser" BENCH_CLOSE="$close" BENCH_POLICY="$policy" \
BENCH_PAUSE="$pause_idle" \
python3 - "$results" "$json" "$work/plot" "${rss_args[@]}" <<'EOF'
import json, os, statistics, sys
e = os.environ
rows = [json.loads(l) for l in open(sys.argv[1])]
rss = dict(a.split("=", 1) for a in sys.argv[4:])
meta = {
  "timestamp": e["BENCH_STAMP"], "host": os.uname().nodename, "kernel": os.uname().release,
  "loadavg_before": e["BENCH_LOADAVG"], "proxy_cpus": e["BENCH_PROXY_CPUS"], "load_cpus": e["BENCH_LOAD_CPUS"],
  "workers": int(e["BENCH_WORKERS"]), "duration_s": int(e["BENCH_DURATION"]),
  "connections": e["BENCH_CONNECTIONS"].split(), "bodies": e["BENCH_BODIES"].split(),
  "rate_clients": int(e["BENCH_RATE_CLIENTS"]), "rounds": int(e["BENCH_ROUNDS"]),
  "browser_fields": e["BENCH_BROWSER"] == "1", "connection_per_request": e["BENCH_CLOSE"] == "1",
  "sluice_b_policy": e["BENCH_POLICY"] == "1",
  "others_stopped_during_runs": e["BENCH_PAUSE"] == "1",
  "versions": {"haproxy": e["BENCH_HAPROXY"], "nginx": e["BENCH_NGINX"], "wrk": e["BENCH_WRK"],
               "java": e["BENCH_JAVA"], "sluice_jar": e["BENCH_JAR"], "sluice_java_opts": e["BENCH_JAVA_OPTS"]},
}
if e["BENCH_B_JAVA"]:
    meta["versions"].update({"sluice_b_java": e["BENCH_B_JAVA"], "sluice_b_jar": e["BENCH_B_JAR"],
                             "sluice_b_java_opts": e["BENCH_B_JAVA_OPTS"]})
for r in rows:
    r["peak_rss_mib"] = float(rss[r["target"]]) if r["target"] in rss else None

# One row per (target, body, load): medians over the rounds, and each round's ratio to HAProxy's same-round run.
def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
def key(r): return (r["body"], r["load"], r["connections"])
by_round = {(r["target"], r["round"]) + key(r): r for r in rows}
groups = {}
for r in rows:
    groups.setdefault((r["target"],) + key(r), []).append(r)
order = e["BENCH_TARGETS"].split()
medians = []
for (t, body, load, conns), rs in sorted(groups.items(), key=lambda g: order.index(g[0][0])):
    def by_round_ratios(peer):
        ratios = {}
        for name, get in (("rps", lambda r: r["rps"]), ("p99", lambda r: r["latency_ms"]["p99"]),
                          ("cpu", lambda r: r["cpu_us_per_request"])):
            ratios[name] = []
            for r in rs:
                b = by_round.get((peer, r["round"], body, load, conns))
                if b and get(r) is not None and get(b):
                    ratios[name].append(get(r) / get(b))
        return ratios
    medians.append({
        "target": t, "body": body, "load": load, "connections": conns, "rounds": len(rs),
        "rps": median([r["rps"] for r in rs]),
        "latency_ms": {p: median([r["latency_ms"][p] for r in rs]) for p in ("p50", "p90", "p99", "p99.9", "max")},
        "cpu_us_per_request": median([r["cpu_us_per_request"] for r in rs]),
        "user_cpu_us_per_request": median([r.get("user_cpu_us_per_request") for r in rs]),
        "jit_cpu_ms_by_round": [r.get("jit_cpu_ms") for r in sorted(rs, key=lambda r: r["round"])],
        "errors": sum(r["errors"] for r in rs), "peak_rss_mib": rs[0]["peak_rss_mib"],
        "x_haproxy_by_round": by_round_ratios("haproxy"), "x_nginx_by_round": by_round_ratios("nginx"),
        **({"x_sluice_by_round": by_round_ratios("sluice")} if t == "sluice-b" else {})})
json.dump({"meta": meta, "medians": medians, "runs": rows}, open(sys.argv[2], "w"), indent=2)
rows = medians

# gnuplot data: one block per (body, load); a line per target; x = percentile
os.makedirs(sys.argv[3], exist_ok=True)
panels = []
for r in rows:
    key = (r["body"], r["load"], r["connections"])
    if key not in panels: panels.append(key)
with open(os.path.join(sys.argv[3], "panels.txt"), "w") as f:
    for i, (body, load, conns) in enumerate(panels):
        label = f"{body} B, wrk c={conns}" if load == "closed" else f"{body} B, h2load {load.split('=')[1]} req/s c={conns}"
        f.write(f"{i}\t{label}\n")
        for r in rows:
            if (r["body"], r["load"], r["connections"]) != (body, load, conns): continue
            with open(os.path.join(sys.argv[3], f"p{i}-{r['target']}.dat"), "w") as d:
                for x, p in ((0, "p50"), (1, "p90"), (2, "p99"), (3, "p99.9")):
                    d.write(f"{x} {max(r['latency_ms'][p], 0.001)}\n")
EOF

# markdown table
python3 - "$json" <<'EOF'
import json, sys
import statistics
doc = json.load(open(sys.argv[1]))
rows = doc["medians"]
m = doc["meta"]
def ratio(per_round):
    """The median of the per-round ratios, and their range when there are several rounds."""
    if not per_round:
        return "-"
    mid = f"{statistics.median(per_round):.2f}"
    return mid if len(per_round) == 1 else f"{mid} ({min(per_round):.2f}-{max(per_round):.2f})"
def f(v, fmt):
    return "-" if v is None else format(v, fmt)
def load_label(r):
    return f"wrk c={r['connections']}" if r["load"] == "closed" else f"{r['load'].split('=')[1]}/s fixed c={r['connections']}"
print(f"\nSide-by-side, {m['workers']} worker(s), proxy CPUs {m['proxy_cpus']}, load CPUs {m['load_cpus']}, "
      f"{m['duration_s']} s per run, medians of {m['rounds']} round(s), load average before: {m['loadavg_before']}"
      f"{', requests with a browser' + chr(39) + 's fields' if m.get('browser_fields') else ''}"
      f"{', a new client connection for every request (Connection: close)' if m.get('connection_per_request') else ''}"
      f"{', the other proxies stopped during each run' if m.get('others_stopped_during_runs') else ', the other proxies idle during each run'}.\n"
      f"Ratios are the median of each round's ratio to that proxy's run in the same round (range in brackets).\n")
print("| target | body | load | req/s | x HAProxy | x NGINX | p50 ms | p99 ms | p99.9 ms | p99 x HAProxy | p99 x NGINX | CPU us/req | x HAProxy | of it user | JIT ms by round | peak RSS MiB | errors |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
def jit(r):
    """The JIT compiler threads' CPU in each round's run: '-' for a proxy that is not a JVM."""
    ms = r.get("jit_cpu_ms_by_round") or []
    return " ".join(f(v, ".0f") for v in ms) if r["target"].startswith("sluice") else "-"
for r in rows:
    x = r["x_haproxy_by_round"]
    l = r["latency_ms"]
    print(f"| {r['target']} | {r['body']} | {load_label(r)} | {r['rps']:.0f} | {ratio(x['rps'])} | {ratio(r['x_nginx_by_round']['rps'])} | "
          f"{l['p50']:.3f} | {l['p99']:.3f} | {l['p99.9']:.3f} | {ratio(x['p99'])} | {ratio(r['x_nginx_by_round']['p99'])} | "
          f"{f(r['cpu_us_per_request'], '.1f')} | {ratio(x['cpu'])} | {f(r['user_cpu_us_per_request'], '.1f')} | "
          f"{jit(r)} | {f(r['peak_rss_mib'], '.1f')} | {r['errors']} |")
ab = [r for r in rows if "x_sluice_by_round" in r]
if ab:
    v = m["versions"]
    same_opts = v["sluice_b_java_opts"] == v["sluice_java_opts"]
    b_opts = "" if same_opts else f"; {' '.join(v['sluice_b_java_opts'].split())}"
    a_opts = "" if same_opts else f"; {' '.join(v['sluice_java_opts'].split())}"
    print(f"\nA/B: sluice-b{' with the API-policy module on' if m.get('sluice_b_policy') else ''} "
          f"({v['sluice_b_java']}; {v['sluice_b_jar']}{b_opts}) against sluice ({v['java']}; {v['sluice_jar']}{a_opts}), "
          f"per-round ratios:\n")
    print("| body | load | req/s x sluice | p99 x sluice | CPU us/req x sluice |")
    print("|---|---|---:|---:|---:|")
    for r in ab:
        x = r["x_sluice_by_round"]
        print(f"| {r['body']} | {load_label(r)} | {ratio(x['rps'])} | {ratio(x['p99'])} | {ratio(x['cpu'])} |")
EOF

# plot
plot="$work/plot"
n_panels=$(wc -l < "$plot/panels.txt")
cols=$(( n_panels < 4 ? n_panels : 4 ))
rows_=$(( (n_panels + cols - 1) / cols ))
{
  echo "set terminal pngcairo size $((cols * 420)),$((rows_ * 340)) font ',9' noenhanced" 2>/dev/null
  echo "set output '$png'"
  echo "set multiplot layout $rows_,$cols title 'Latency percentiles (ms, log scale) - $workers worker(s), proxy CPUs $proxy_cpus - $stamp'"
  echo "set logscale y; set grid ytics; set key top left; set xrange [-0.3:3.3]"
  echo "set xtics ('p50' 0, 'p90' 1, 'p99' 2, 'p99.9' 3)"
  while IFS=$'\t' read -r i label; do
    echo "set title '$label'"
    cmd="plot"
    sep=""
    for t in "${targets[@]}"; do
      [[ -f "$plot/p$i-$t.dat" ]] || continue
      cmd+="$sep '$plot/p$i-$t.dat' using 1:2 with linespoints lw 2 title '$t'"
      sep=","
    done
    echo "$cmd"
  done < "$plot/panels.txt"
  echo "unset multiplot"
} > "$plot/plot.gp"
if ! gnuplot "$plot/plot.gp" 2>"$plot/gnuplot.err"; then
  # pngcairo is not in every gnuplot build; fall back to the plain png terminal
  sed -i "1s/.*/set terminal png size $((cols * 420)),$((rows_ * 340))/" "$plot/plot.gp"
  gnuplot "$plot/plot.gp" || log "gnuplot failed; JSON is still written"
fi
echo
echo "JSON: $json"
[[ -f "$png" ]] && echo "plot: $png"
