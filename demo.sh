#!/usr/bin/env bash
# Builds Synced Folder, starts a server and two clients (alice and bob) on temporary folders, shows a
# new file, an edit, a delete and a conflict crossing over, then stops everything it started and cleans up.
set -euo pipefail
cd "$(dirname "$0")"

# Java 17 can only handle non-ASCII file names under a UTF-8 locale.
export LC_ALL=C.UTF-8

SERVER_JAR=sync-server/target/sync-server.jar
CLIENT_JAR=sync-client/target/sync-client.jar
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f $SERVER_JAR || ! -f $CLIENT_JAR ]]; then
    echo "== building the jars (mvn -q -DskipTests package)"
    mvn -q -B -DskipTests package
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/synced-folder-demo.XXXXXX")
declare -A PID=()
cleanup() {
    for name in "${!PID[@]}"; do
        kill "${PID[$name]}" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Waits up to 20 s for a shell condition to become true.
wait_for() {
    local description=$1; shift
    for _ in $(seq 1 200); do
        if "$@"; then
            echo "   ok: $description"
            return 0
        fi
        sleep 0.1
    done
    echo "   FAILED: $description (gave up after 20 s)" >&2
    exit 1
}

TOKEN="demo-$RANDOM$RANDOM"
say "starting the server (data in $WORK/server)"
java -jar "$SERVER_JAR" --port 0 --data "$WORK/server" --token "$TOKEN" > "$WORK/server.log" 2>&1 &
PID[server]=$!
wait_for "server is listening" grep -q "listening on" "$WORK/server.log"
URL=$(grep -o 'http://[0-9.:]*' "$WORK/server.log" | head -n 1)
echo "   $(grep 'listening on' "$WORK/server.log")"

start_client() {
    local name=$1
    java -jar "$CLIENT_JAR" --server "$URL" --token "$TOKEN" --folder "$WORK/$name" --device "$name" --interval 1 \
        > >(sed -u "s/^/   [$name] /") 2>&1 &
    PID[$name]=$!
}

say "starting two clients, alice and bob, each on its own folder"
start_client alice
start_client bob
sleep 1

say "alice adds a file in a new folder"
mkdir -p "$WORK/alice/notes"
echo "Hello from alice" > "$WORK/alice/notes/hello.txt"
wait_for "bob has notes/hello.txt" grep -qs "Hello from alice" "$WORK/bob/notes/hello.txt"

say "bob edits it"
echo "Hello from alice, edited by bob" > "$WORK/bob/notes/hello.txt"
wait_for "alice sees bob's edit" grep -qs "edited by bob" "$WORK/alice/notes/hello.txt"

say "alice deletes it"
rm "$WORK/alice/notes/hello.txt"
wait_for "it is gone from bob's folder" test ! -e "$WORK/bob/notes/hello.txt"

say "a conflict: bob goes offline, both edit the same file, bob comes back"
echo "first draft" > "$WORK/alice/report.txt"
wait_for "bob has report.txt" test -s "$WORK/bob/report.txt"
kill "${PID[bob]}"; wait "${PID[bob]}" 2>/dev/null || true; unset 'PID[bob]'
echo "   (bob is offline)"
echo "bob's offline edit" > "$WORK/bob/report.txt"
sleep 1.1   # so alice's edit is the newer one
echo "alice's edit" > "$WORK/alice/report.txt"
sleep 2
start_client bob
has_conflict_copy() { compgen -G "$1/report.sync-conflict-*" > /dev/null; }
wait_for "bob's folder has a conflict copy" has_conflict_copy "$WORK/bob"
wait_for "alice's folder has it too" has_conflict_copy "$WORK/alice"

say "both folders now hold the same files"
for name in alice bob; do
    echo "   $name:"
    (cd "$WORK/$name" && find . -path ./.sync -prune -o -type f -print | sort | while read -r f; do
        printf '     %-55s %s\n' "$f" "$(head -c 40 "$f")"
    done)
done
diff -r --exclude=.sync "$WORK/alice" "$WORK/bob" > /dev/null && echo "   (identical)"

say "done; stopping the clients and the server and removing $WORK"
