#!/usr/bin/env bash
# The API policy's own cost per admitted request, in pairs (see PolicyShareRunner): admit and its Netty-only floor
# in alternating blocks, in each of several JVMs, on one pinned CPU. Prints each JVM's line and the median over them.
#
#   scripts/policy-share.sh [--runs N] [--consumers C] [--cpu CPU] [--jar PATH]
#
# --runs N        JVMs, one after another (default 5): the JIT compiles each a little differently
# --consumers C   keys presented round-robin (default 1; 10000 is the benchmark's worst case)
# --cpu CPU       taskset CPU (default 0)
# --jar PATH      a benchmarks.jar to measure instead of this tree's (e.g. an older build, for an A/B)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
consumers=1
cpu=0
jar=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?}"; shift 2 ;;
    --consumers) consumers="${2:?}"; shift 2 ;;
    --cpu) cpu="${2:?}"; shift 2 ;;
    --jar) jar="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "policy-share: unknown option '$1' (--help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "policy-share: --runs must be a positive integer, got '$runs'" >&2; exit 2; }
[[ -n "$jar" ]] || jar="$("$root/scripts/build-benchmarks.sh")"
[[ -f "$jar" ]] || { echo "policy-share: no jar at $jar" >&2; exit 2; }

# what the memory-mapped store needs (as PolicyFilterBenchmark's @Fork and the launcher give it)
opts=(-Xms1g -Xmx1g -XX:+UseParallelGC -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED)
shares=()
for i in $(seq "$runs"); do
  out=$(taskset -c "$cpu" java "${opts[@]}" -cp "$jar" dev.sluice.bench.policy.PolicyShareRunner "$consumers" 60 2>&1) \
    || { echo "$out" | tail -20 >&2; echo "policy-share: run $i failed" >&2; exit 1; }
  line=$(grep '^consumers=' <<< "$out") || { echo "$out" | tail -20 >&2; echo "policy-share: run $i printed no result" >&2; exit 1; }
  echo "run $i: $line"
  shares+=("$(sed 's/.* share=\([0-9]*\) ns.*/\1/' <<< "$line")")
done
printf '%s\n' "${shares[@]}" | sort -n | awk -v c="$consumers" '
  { v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "consumers=%s: policy share median over %d JVMs %d ns (range %d-%d)\n", c, NR, m, v[1], v[NR] }'
