#!/usr/bin/env bash
# Synced Folder benchmark suite (issue 3): W1-W5 and JVM start-up against our server and two clients on
# 127.0.0.1, inside a private network namespace, on the same data as ../shared/bench-peers.
#
# usage: bench/run.sh [--quick] [--with-peers]
#   --quick        smaller workloads (W1 1,000 files, W2/W3 64 MiB, W4 10,000 files), 1 run each, ~2 min
#   --with-peers   also run ../shared/bench-peers/run-all.sh (rsync, Unison, Syncthing) in the same run and
#                  append the ratios ours/peer to the results (full size: ~20 min for the peers alone)
# env:
#   SKIP_BUILD=1       do not build; use the jars already in sync-*/target/
#   JARS_DIR=DIR       use prebuilt jars: DIR/sync-server.jar + DIR/sync-client.jar, or DIR/sync-*/target/ (no build)
#   REPEATS=N          every measurement N times (W5: N latency samples), e.g. REPEATS=1 for full size, one run
#   ONLY=LIST          a subset of our measurements: startup,w1,w2,w4,w5 (w2 includes W3)
#   SF_BENCH_WORK=DIR  work dir (default /tmp/sf-bench); BENCH_DATA=DIR full-size data (default /tmp/bench-data,
#                      shared with bench-peers); PEERS_DIR=DIR (default ../shared/bench-peers)
#   SF_BENCH_TIMEOUT=DUR  hard bound for our part (default 3h, --quick 20m); the peers have their own (45m)
#   CLIENT_JAVA_OPTS / SERVER_JAVA_OPTS  extra JVM options for the jars (e.g. an AppCDS archive)
# Writes bench/results/latest.md (+ latest.json, git-ignored) and prints it; progress goes to stderr.
set -euo pipefail
SELF=$(realpath "$0")
cd "$(dirname "$SELF")/.."
REPO=$(pwd)
export LC_ALL=C.UTF-8

QUICK=0
PEERS=0
for a in "$@"; do
    case "$a" in
        --quick) QUICK=1 ;;
        --with-peers) PEERS=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SELF"; exit 0 ;;
        *) echo "unknown option $a (try --help)" >&2; exit 2 ;;
    esac
done

say() { echo "$(date +%H:%M:%S) == $*" >&2; }

export SF_BENCH_WORK=${SF_BENCH_WORK:-/tmp/sf-bench}
export BENCH_DATA=${BENCH_DATA:-/tmp/bench-data}
export PEERS_DIR=${PEERS_DIR:-$(cd "$REPO/.." && pwd)/shared/bench-peers}
mkdir -p "$SF_BENCH_WORK" bench/results
PY=python3
command -v $PY >/dev/null || { echo "python3 is needed" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed (apt-get install -y time)" >&2; exit 2; }

# Everything we start is killed on exit: the inner run (which kills its own servers/clients by process group).
INNER_PID=
cleanup() {
    if [[ -n $INNER_PID ]] && kill -0 "$INNER_PID" 2>/dev/null; then
        kill -TERM "$INNER_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$INNER_PID" 2>/dev/null || break; sleep 1; done
        kill -KILL "$INNER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- jars
if [[ -n ${JARS_DIR:-} ]]; then
    if [[ -f $JARS_DIR/sync-server.jar ]]; then
        SERVER_JAR=$JARS_DIR/sync-server.jar; CLIENT_JAR=$JARS_DIR/sync-client.jar
    else
        SERVER_JAR=$JARS_DIR/sync-server/target/sync-server.jar; CLIENT_JAR=$JARS_DIR/sync-client/target/sync-client.jar
    fi
else
    SERVER_JAR=$REPO/sync-server/target/sync-server.jar
    CLIENT_JAR=$REPO/sync-client/target/sync-client.jar
    if [[ ${SKIP_BUILD:-0} != 1 ]]; then
        say "building the jars (mvn -B -q package -DskipTests)"
        timeout 30m mvn -B -q -Dstyle.color=never package -DskipTests >&2
    fi
fi
SERVER_JAR=$(realpath "$SERVER_JAR"); CLIENT_JAR=$(realpath "$CLIENT_JAR")
for j in "$SERVER_JAR" "$CLIENT_JAR"; do
    [[ -f $j ]] || { echo "missing $j (build with mvn -B -q package -DskipTests, or set JARS_DIR)" >&2; exit 2; }
done
STALE=0
if [[ -z ${JARS_DIR:-} ]]; then
    STALE=$(find sync-common/src/main sync-server/src/main sync-client/src/main pom.xml ./*/pom.xml -type f \
            \( -newer "$SERVER_JAR" -o -newer "$CLIENT_JAR" \) 2>/dev/null | wc -l)
    [[ $STALE -gt 0 ]] && say "warning: $STALE source file(s) changed after the jars were built; the figures are for the jars"
fi

# ---- data (deterministic, cached)
QFLAG=()
[[ $QUICK == 1 ]] && QFLAG=(--quick)
say "workload data"
timeout 60m $PY bench/sfbench.py gen "${QFLAG[@]}" >/dev/null

# ---- our runs, in a private network namespace if we may create one
if unshare --net true 2>/dev/null; then
    NS=(unshare --net); NSMODE=net
elif unshare --user --map-root-user --net true 2>/dev/null; then
    NS=(unshare --user --map-root-user --net); NSMODE=user+net
else
    NS=(); NSMODE=none
    say "WARNING: unshare --net is not permitted here; running in the normal network namespace," \
        "so the loopback byte counters include any other loopback traffic on this machine"
fi
OUT_JSON=bench/results/latest.json
DEFAULT_TIMEOUT=3h
[[ $QUICK == 1 ]] && DEFAULT_TIMEOUT=20m
say "our benchmark (network namespace: $NSMODE)"
rc=0
# `timeout` puts the inner run in its own process group, so a Ctrl-C reaches it only through our trap (SIGTERM,
# forwarded by timeout); it then stops its servers and clients itself.
timeout --kill-after=60 "${SF_BENCH_TIMEOUT:-$DEFAULT_TIMEOUT}" "${NS[@]}" \
    env SF_BENCH_NETNS=$NSMODE bash -c '
        if [[ $SF_BENCH_NETNS != none ]]; then ip link set lo up || exit 3; fi
        exec "$0" "$@"' \
    $PY bench/sfbench.py run "${QFLAG[@]}" --server-jar "$SERVER_JAR" --client-jar "$CLIENT_JAR" \
        --out "$OUT_JSON" --stale "$STALE" --only "${ONLY:-}" </dev/null &
INNER_PID=$!
wait $INNER_PID || rc=$?
INNER_PID=
[[ $rc == 124 ]] && say "our benchmark hit the time limit ${SF_BENCH_TIMEOUT:-$DEFAULT_TIMEOUT}"
[[ -f $OUT_JSON ]] || { echo "no results ($OUT_JSON missing), exit $rc" >&2; exit 1; }

# ---- peers
PEERS_JSON=
PEERS_NOTE=
if [[ $PEERS == 1 ]]; then
    if [[ ! -x $PEERS_DIR/run-all.sh ]]; then
        PEERS_NOTE="Peers: not run, $PEERS_DIR/run-all.sh not found."
        say "$PEERS_NOTE"
    else
        missing=()
        for t in rsync unison syncthing iperf3 openssl javac; do command -v $t >/dev/null || missing+=("$t"); done
        if [[ ${#missing[@]} -gt 0 ]]; then
            pkgs=(); for t in "${missing[@]}"; do case $t in openssl|rsync|unison|syncthing|iperf3) pkgs+=("$t") ;; esac; done
            if [[ ${#pkgs[@]} -gt 0 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
                say "installing the peers' tools: apt-get install -y ${pkgs[*]}"
                DEBIAN_FRONTEND=noninteractive timeout 15m apt-get install -y "${pkgs[@]}" >&2 ||
                    { timeout 10m apt-get update >&2 && DEBIAN_FRONTEND=noninteractive timeout 15m apt-get install -y "${pkgs[@]}" >&2; } || true
            fi
        fi
        PEERS_RESULTS=$SF_BENCH_WORK/peers-results
        mkdir -p "$PEERS_RESULTS"
        touch "$SF_BENCH_WORK/.peers-start"
        say "peers: $PEERS_DIR/run-all.sh (results under $PEERS_RESULTS)"
        prc=0
        if [[ $QUICK == 1 ]]; then
            say "note: --quick shrinks only our workloads; the peers run on the full-size data with BENCH_QUICK=1" \
                "(one repeat each), so the ratios are not comparable"
        fi
        # run-all.sh re-executes itself under `timeout unshare --net` (its own namespace) and bounds itself.
        BENCH_RESULTS=$PEERS_RESULTS BENCH_QUICK=$QUICK "$PEERS_DIR/run-all.sh" >&2 </dev/null &
        INNER_PID=$!
        wait $INNER_PID || prc=$?
        INNER_PID=
        latest=$(find "$PEERS_RESULTS" -mindepth 2 -maxdepth 2 -name results.json -newer "$SF_BENCH_WORK/.peers-start" \
                 -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
        if [[ -n $latest ]]; then
            PEERS_JSON=$latest
            [[ $prc != 0 ]] && say "peers exited $prc; using what they wrote ($latest)"
        else
            PEERS_NOTE="Peers: run-all.sh exited $prc without results (see the messages above)."
            say "$PEERS_NOTE"
        fi
    fi
fi

# ---- report
REPORT_ARGS=(--ours "$OUT_JSON" --md bench/results/latest.md)
[[ -n $PEERS_JSON ]] && REPORT_ARGS+=(--peers "$PEERS_JSON")
$PY bench/sfbench.py report "${REPORT_ARGS[@]}"
[[ -n $PEERS_NOTE ]] && printf '\n%s\n' "$PEERS_NOTE" >> bench/results/latest.md
cp bench/results/latest.md "bench/results/run-$(date +%Y%m%d-%H%M%S).md"
cat bench/results/latest.md
exit $rc
