#!/usr/bin/env bash
# Builds jmh-benchmarks/target/benchmarks.jar when it is missing or older than any source or pom, and prints its
# path. Used by jmh.sh and policy-share.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="jmh-benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" ]] || [[ -n "$(find pom.xml lb-core api-policy-module jmh-benchmarks -newer "$jar" \( -name '*.java' -o -name 'pom.xml' \) -not -path '*/target/*' -print -quit)" ]]; then
    echo "building $jar ..." >&2
    mvn -B -q package -pl lb-core,api-policy-module,jmh-benchmarks -am -DskipTests >&2
fi
echo "$root/$jar"
