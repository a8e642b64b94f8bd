#!/usr/bin/env bash
# Real-time sync benchmark: propagation latency (1 KiB and 50 MiB files), a burst of many files, idle CPU.
# Usage: bench/run-realtime.sh [--quick] [more RealtimeBench options, see --help]
# Writes the results to bench/results/realtime-latest.md (git-ignored) and prints them.
set -euo pipefail
cd "$(dirname "$0")/.."

# Java 17 can only handle non-ASCII file names under a UTF-8 locale (the clients inherit this).
export LC_ALL=C.UTF-8

SERVER_JAR=sync-server/target/sync-server.jar
CLIENT_JAR=sync-client/target/sync-client.jar
if [[ ! -f $SERVER_JAR || ! -f $CLIENT_JAR ]]; then
    echo "== building the jars" >&2
    mvn -o -q -B -DskipTests package || mvn -q -B -DskipTests package
fi

# The results describe the jars, not the working tree: say so when sources changed after the jars were built.
STALE=$(find sync-common/src/main sync-server/src/main sync-client/src/main pom.xml */pom.xml -type f \
        \( -newer "$SERVER_JAR" -o -newer "$CLIENT_JAR" \) 2>/dev/null | wc -l)
if [[ $STALE -gt 0 ]]; then
    echo "warning: $STALE source file(s) changed after the jars were built; rebuild (mvn -o -q -B -DskipTests package) to measure them" >&2
fi

mkdir -p bench/results
OUT=bench/results/realtime-latest.md
TMP=$(mktemp "bench/results/.realtime.XXXXXX")
trap 'rm -f "$TMP"' EXIT

status=0
java bench/realtime/RealtimeBench.java --server-jar "$SERVER_JAR" --client-jar "$CLIENT_JAR" "$@" > "$TMP" || status=$?

{
    cat "$TMP"
    echo
    echo "Machine: nproc $(nproc); memory $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}');" \
         "$(java -version 2>&1 | head -n 1); $(uname -sr)"
    echo "Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)');" \
         "client jar built $(date -r "$CLIENT_JAR" '+%Y-%m-%d %H:%M:%S')"
    if [[ $STALE -gt 0 ]]; then
        echo
        echo "**Warning:** $STALE source file(s) changed after the jars were built; these figures are for the older jars."
    fi
} > "$OUT"
cat "$OUT"
exit $status
