#!/usr/bin/env bash
# Memory under whole lists: `rosetta serve` over SQLite with one tenant of 100,000 users
# (bench/loader, the store's bulk insert), eight concurrent `GET /keaz/users` of the whole
# tenant, each answer checked complete; the gateway's peak RSS (VmHWM in /proc) must stay under
# 150 MiB. Loopback only; every wait is bounded (curl --max-time, the readiness loop).
#
#   e2e/faults/memory.sh            # the debug binaries (built if missing)
#   ROSETTA_BIN=... ROSETTA_LOADER=... e2e/faults/memory.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

USERS=${MEMORY_USERS:-100000}
LISTS=${MEMORY_LISTS:-8}
LIMIT_KIB=$((150 * 1024))
if [ -z "${ROSETTA_BIN:-}" ] || [ -z "${ROSETTA_LOADER:-}" ]; then
  cargo build -q -p rosetta-server --bin rosetta -p rosetta-bench-loader
fi
BIN=${ROSETTA_BIN:-$PWD/target/debug/rosetta}
LOADER=${ROSETTA_LOADER:-$PWD/target/debug/rosetta-bench-loader}

WORK=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="sqlite://$WORK/memory.db"
BASE="http://127.0.0.1:$PORT"

start=$SECONDS
"$LOADER" --database-url "$URL" --users "$USERS" --bcrypt-cost 4 >"$WORK/load.json"
echo "memory: loaded $USERS users in $((SECONDS - start))s"

(cd "$WORK" && exec env ROSETTA_DATABASE_URL="$URL" ROSETTA_LISTEN="127.0.0.1:$PORT" \
  ROSETTA_EMAIL_DIR="$WORK/outbox" RUST_LOG=warn "$BIN" serve) >"$WORK/gateway.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
  if curl -s -o /dev/null --max-time 2 "$BASE/readyz"; then break; fi
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/gateway.log" >&2; exit 1; }
  sleep 0.5
done
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$PID/status"; }
idle=$(hwm)

read -r email password < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["admin"]["email"], d["password"])' "$WORK/load.json")
token=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$BASE/keaz/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

start=$SECONDS
pids=()
for i in $(seq 1 "$LISTS"); do
  curl -s --max-time 300 -o "$WORK/list$i.json" -w "%{http_code}\n" \
    -H "token: $token" "$BASE/keaz/users" >"$WORK/status$i" &
  pids+=($!)
done
wait "${pids[@]}" || true
took=$((SECONDS - start))
peak=$(hwm)

for i in $(seq 1 "$LISTS"); do
  status=$(cat "$WORK/status$i")
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/list$i.json" 2>/dev/null || echo "unreadable")
  if [ "$status" != 200 ] || [ "$n" != $((USERS + 1)) ]; then
    echo "memory: list $i answered $status with $n users (want 200 with $((USERS + 1)))" >&2
    exit 1
  fi
done
echo "memory: $LISTS concurrent lists of $((USERS + 1)) users in ${took}s; VmHWM idle ${idle} KiB, peak ${peak} KiB (limit ${LIMIT_KIB} KiB)"
if [ "$peak" -ge "$LIMIT_KIB" ]; then
  echo "memory: peak RSS ${peak} KiB is over 150 MiB" >&2
  exit 1
fi
