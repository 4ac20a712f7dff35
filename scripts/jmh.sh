#!/usr/bin/env bash
# Runs the JMH benchmarks and keeps the results as JSON under bench-results/.
#
#   scripts/jmh.sh                      short profile (1 fork, 2 warm-up and 3 measured 1 s iterations, -prof gc)
#   scripts/jmh.sh --full               the benchmarks' own profile (forks and iterations in their annotations)
#   scripts/jmh.sh [--full] REGEX [JMH OPTIONS...]
#                                       only the matching benchmarks, e.g. 'PickerBenchmark.pick$' -p backends=1024;
#                                       an option given here replaces the profile's (e.g. -i 10)
#
# Builds jmh-benchmarks/target/benchmarks.jar first when it is missing or older than any source or pom.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

full=false
if [[ "${1:-}" == "--full" ]]; then
    full=true
    shift
fi

jar="$("$root/scripts/build-benchmarks.sh")"

mkdir -p bench-results
out="bench-results/jmh-$(date -u +%Y%m%dT%H%M%SZ).json"

# Short-profile defaults, each dropped when the caller gives that option (JMH rejects an option given twice).
given=" $* "
profile=()
add_default() {
    if [[ "$given" != *" $1 "* ]]; then
        profile+=("$1" "$2")
    fi
}
if ! $full; then
    add_default -f 1
    add_default -wi 2
    add_default -i 3
    add_default -w 1s
    add_default -r 1s
fi
add_default -prof gc

java -jar "$jar" "${profile[@]}" -rf json -rff "$out" "$@"

echo
echo "results: $out"
# The summary: score per benchmark and parameters, and the allocation per operation beside it.
python3 - "$out" <<'PY' || echo "(python3 not found: see the JMH table above)"
import json, sys
rows = json.load(open(sys.argv[1]))
print(f"{'benchmark':<42} {'params':<34} {'score':>12} {'error':>10}  {'unit':<7} {'alloc B/op':>10}")
for r in rows:
    name = r["benchmark"].rsplit(".", 2)
    name = ".".join(name[-2:])
    params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
    p = r["primaryMetric"]
    alloc = (r.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm", {}).get("score")
    alloc = "" if alloc is None else f"{alloc:.3f}"
    err = p.get("scoreError")
    err = "" if not isinstance(err, (int, float)) or err != err else f"{err:.3f}"  # JSON has "NaN" for one iteration
    print(f"{name:<42} {params:<34} {p['score']:>12.3f} {err:>10}  {p['scoreUnit']:<7} {alloc:>10}")
PY
