#!/usr/bin/env bash
# Profiles one benchmark workload with async-profiler: where the server's and the clients' time goes.
#
#   bench/profile.sh [--event cpu|wall] [--jars DIR] w1|w2|w3|w4
#
# Runs the workload once, as bench/run.sh does but without timing repeats: a server on 127.0.0.1 (fresh data
# directory), client A's --once pass, then client B's (w3: the w2 passes, then the edited file, and only the
# second pair is profiled; w4: a first pass of A to set up, then the no-change pass is profiled). Each JVM runs
# with async-profiler as an agent (event cpu: CPU samples every 1 ms; wall: every thread every 1 ms, to see
# waiting) and debug logging, a client's in the tuned JVM its launcher starts for the pass, as a user's runs; bench/profile_summary.py then prints, per process, the share of JIT compilation,
# GC and our code, the heaviest of our methods (inclusive) and the clients' own phase timings.
#
# Needs the data of bench/run.sh (/tmp/bench-data, generated when missing) and the jars (built when missing).
# async-profiler comes from Maven Central (tools.profiler:async-profiler:4.2, linux-x64) through Maven.
# Output: /tmp/sf-profile/<workload>/ (logs, *.collapsed stacks); kept until the next run of that workload.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
EVENT=cpu
JARS=""
WORKLOAD=""
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --event) EVENT="$2"; shift 2 ;;
        --jars) JARS="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        w1|w2|w3|w4) WORKLOAD="$1"; shift ;;
        *) echo "profile.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[ -n "$WORKLOAD" ] || { usage >&2; exit 2; }
case "$EVENT" in cpu|wall) ;; *) echo "profile.sh: --event must be cpu or wall" >&2; exit 2 ;; esac

jar() { # jar NAME: the jar from --jars (flat or module layout) or from this repo's target folders
    for candidate in "${JARS:+$JARS/$1.jar}" "${JARS:+$JARS/$1/target/$1.jar}" "$REPO/$1/target/$1.jar"; do
        [ -n "$candidate" ] && [ -f "$candidate" ] && { echo "$candidate"; return; }
    done
    return 1
}
if ! jar sync-server >/dev/null || ! jar sync-client >/dev/null; then
    echo "building the jars (mvn -B -q package -DskipTests)" >&2
    (cd "$REPO" && mvn -B -q package -DskipTests)
fi
SERVER_JAR="$(jar sync-server)"
CLIENT_JAR="$(jar sync-client)"

DATA="${BENCH_DATA:-/tmp/bench-data}"
[ -d "$DATA/w1" ] && [ -d "$DATA/w2" ] && [ -d "$DATA/w3" ] && [ -d "$DATA/w4" ] \
    || BENCH_DATA="$DATA" python3 "$HERE/sfbench.py" gen

PROFILER_DIR=/tmp/sf-profile/async-profiler
LIB="$PROFILER_DIR/linux-x64/libasyncProfiler.so"
if [ ! -f "$LIB" ]; then
    echo "fetching async-profiler 4.2 from Maven Central" >&2
    mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:4.2:jar:linux-x64 >&2
    mkdir -p "$PROFILER_DIR"
    (cd "$PROFILER_DIR" && unzip -o -q "$HOME/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2-linux-x64.jar")
fi

WORK=/tmp/sf-profile/$WORKLOAD
rm -rf "$WORK"
mkdir -p "$WORK"
export LC_ALL=C.UTF-8 XDG_STATE_HOME="$WORK/state" XDG_CACHE_HOME="$WORK/cache"
agent() { echo "-agentpath:$LIB=start,event=$EVENT,interval=1ms,collapsed,file=$WORK/$1.collapsed"; }
DEBUG=(-Dorg.slf4j.simpleLogger.defaultLogLevel=debug -Dorg.slf4j.simpleLogger.showDateTime=true
       -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS)

SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true # the server's exit status after SIGTERM is not a failure
        SERVER_PID=""
    fi
}
trap cleanup EXIT INT TERM

timeout 3600 java "$(agent server)" -jar "$SERVER_JAR" --port 0 --bind 127.0.0.1 --data "$WORK/server" \
    --token bench > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 300); do grep -q 'listening on' "$WORK/server.log" && break; sleep 0.1; done
URL="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/server.log" | head -1)"
[ -n "$URL" ] || { echo "profile.sh: the server did not start:" >&2; tail "$WORK/server.log" >&2; exit 1; }

# A pass's JVM options go through SYNC_PASS_JAVA_OPTIONS, so the pass runs in the tuned JVM the launcher starts, as
# a user's does; given to `java` itself they would make it run in the launcher's JVM, untuned.
pass() { # pass NAME FOLDER [profile]: one --once pass, with the agent if asked, timed by /usr/bin/time
    local opts="${DEBUG[*]}"
    [ "${3:-}" = profile ] && opts="$(agent "$1") $opts"
    sync; sleep 1
    SYNC_PASS_JAVA_OPTIONS="$opts" /usr/bin/time -f "$1: %e s wall, %U s user + %S s sys, %M KiB peak RSS" \
        -o "$WORK/$1.time" timeout 3600 java -jar "$CLIENT_JAR" --server "$URL" --token bench --folder "$2" \
        --device "$1" --once > "$WORK/$1.log" 2>&1 || { echo "pass $1 failed:" >&2; tail "$WORK/$1.log" >&2; exit 1; }
    cat "$WORK/$1.time" >&2
}

# The first pass of a new jar archives its classes afterwards (README, "How content travels"): a pass over an empty
# folder does it here, so no profiled pass pays for it.
mkdir -p "$WORK/empty"
pass setup-archive "$WORK/empty"

mkdir -p "$WORK/B"
case "$WORKLOAD" in
    w1) cp -a "$DATA/w1" "$WORK/A"; pass A "$WORK/A" profile; pass B "$WORK/B" profile ;;
    w2) cp -a "$DATA/w2" "$WORK/A"; pass A "$WORK/A" profile; pass B "$WORK/B" profile ;;
    w3) cp -a "$DATA/w2" "$WORK/A"; pass A2 "$WORK/A"; pass B2 "$WORK/B"
        cp "$DATA/w3/big.bin" "$WORK/A/big.bin.new" && mv "$WORK/A/big.bin.new" "$WORK/A/big.bin"
        pass A "$WORK/A" profile; pass B "$WORK/B" profile ;;
    w4) cp -a "$DATA/w4" "$WORK/A"; pass setup "$WORK/A"; pass A "$WORK/A" profile ;;
esac
cleanup
python3 "$HERE/profile_summary.py" "$WORK"
