#!/usr/bin/env bash
# Replays a raw-request corpus against HOST:PORT and prints, per entry, the status line(s) received next to the
# statuses Sluice is expected to give, so that different proxies can be compared on the same bytes.
#
# usage: scripts/smuggling-corpus.sh HOST PORT [CORPUS] [TIMEOUT_SECONDS]
#   CORPUS defaults to lb-core/src/test/resources/smuggling/requests.txt: one entry per line,
#   TAB-separated columns name, expected statuses, backend expectation, raw request (printf %b escapes).
# Output: TAB-separated columns name, expected, received (status codes, comma-separated; "closed" when the
# server closed without answering, "timeout" when it neither answered nor closed), and "ok" or "DIFF".
set -euo pipefail
# A server may close before the whole request is written: that is an answer, not a reason to die of SIGPIPE.
trap "" PIPE

if [[ $# -lt 2 ]]; then
    sed -n '4,9p' "$0" >&2
    exit 2
fi
host=$1
port=$2
corpus=${3:-"$(dirname "$0")/../lb-core/src/test/resources/smuggling/requests.txt"}
timeout_s=${4:-3}

replay() {
    local raw=$1
    local out
    # A fresh connection per entry; the request is written, then responses are read until the server closes
    # the connection or stays silent for TIMEOUT_SECONDS.
    exec 3<>"/dev/tcp/$host/$port"
    printf '%b' "$raw" >&3 2>/dev/null || true
    out=$(timeout "$timeout_s" cat <&3 2>/dev/null | tr -d '\000' | grep -a -o -E '^HTTP/[0-9.]+ [0-9]{3}' | awk '{print $2}' | paste -sd, - || true)
    exec 3<&- 3>&-
    echo "${out:-none}"
}

total=0
same=0
while IFS=$'\t' read -r name expected backend raw; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    received=$(replay "$raw")
    total=$((total + 1))
    verdict=DIFF
    if [[ "$received" == "$expected" ]]; then
        verdict=ok
        same=$((same + 1))
    fi
    printf '%s\t%s\t%s\t%s\n' "$name" "$expected" "$received" "$verdict"
done < "$corpus"
printf 'entries\t%d\tsame as expected\t%d\n' "$total" "$same"
