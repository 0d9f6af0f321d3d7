#!/usr/bin/env bash
# How long a big import stalls other tenants' writes (issue 17, defect 4): `rosetta serve`
# (release) with two tenants; tenant B creates users one after another through keaz
# (`POST /keaz/user`, one keep-alive connection) and each create is timed, first alone, then
# while tenant A's keaz CSV import of STALL_ROWS rows runs. Prints, per backend, the import's
# time and the p50 / p99 / max latency of B's creates alone and during the import. A measurement,
# not a test: it fails only when a request fails. Loopback only; every wait is bounded.
#
#   e2e/faults/import_stall.sh                   # both backends, release binaries (built if missing)
#   STALL_ROWS=20000 STALL_BACKENDS=sqlite e2e/faults/import_stall.sh
#   ROSETTA_BIN=... ROSETTA_LOADER=... e2e/faults/import_stall.sh   # e.g. binaries of another commit
set -euo pipefail
cd "$(dirname "$0")/../.."

ROWS=${STALL_ROWS:-100000}
BACKENDS=${STALL_BACKENDS:-sqlite postgres}
PG_URL=${STALL_PG_URL:-postgres://postgres@127.0.0.1:5432}
if [ -z "${ROSETTA_BIN:-}" ] || [ -z "${ROSETTA_LOADER:-}" ]; then
  cargo build -q --release -p rosetta-server --bin rosetta -p rosetta-bench-loader
fi
BIN=${ROSETTA_BIN:-$PWD/target/release/rosetta}
LOADER=${ROSETTA_LOADER:-$PWD/target/release/rosetta-bench-loader}

WORK=$(mktemp -d)
PID=""
PG_DB=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; fi
  if [ -n "$PG_DB" ]; then psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 - "$ROWS" >"$WORK/import.csv" <<'EOF'
import sys
print("name,email")
for i in range(int(sys.argv[1])):
    print(f"Imported User{i},imported{i}@stall-a.test")
EOF

# The driver: B's creates alone, then A's import on a thread while B's creates go on; one JSON
# line of figures.
cat >"$WORK/drive.py" <<'EOF'
import http.client, json, sys, threading, time
port, token_a, token_b, csv_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

def post(conn, path, token, body, ctype):
    conn.request("POST", path, body=body, headers={"token": token, "Content-Type": ctype})
    r = conn.getresponse()
    return r.status, r.read()

writer = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
made = 0
def create():
    global made
    made += 1
    body = json.dumps({"name": f"Other User{made}", "email": f"other{made}@stall-b.test"})
    t = time.monotonic()
    status, text = post(writer, "/keaz/user", token_b, body, "application/json")
    took = time.monotonic() - t
    if status != 201:
        sys.exit(f"create answered {status}: {text[:200]!r}")
    return took

def figures(xs):
    xs = sorted(xs)
    at = lambda q: xs[min(len(xs) - 1, max(0, int(q * len(xs) + 0.999999) - 1))]
    return {"n": len(xs), "p50_ms": round(at(0.50) * 1000, 1),
            "p99_ms": round(at(0.99) * 1000, 1), "max_ms": round(xs[-1] * 1000, 1)}

alone = [create() for _ in range(200)]
answered = threading.Event()
result = {}
def run_import():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    data = open(csv_path, "rb").read()
    t = time.monotonic()
    status, text = post(conn, "/keaz/import/users", token_a, data, "text/csv")
    result["seconds"] = round(time.monotonic() - t, 2)
    answered.set()
    result["status"] = status
    result["users"] = len(json.loads(text)) if status == 201 else text[:200].decode()
importer = threading.Thread(target=run_import)
importer.start()
during = []
while not answered.is_set():
    during.append(create())
importer.join()
if result["status"] != 201:
    sys.exit(f"import answered {result['status']}: {result['users']}")
print(json.dumps({"import_seconds": result["seconds"], "imported": result["users"],
                  "alone": figures(alone), "during_import": figures(during)}))
EOF

for backend in $BACKENDS; do
  case $backend in
    sqlite) URL="sqlite://$WORK/stall.db" ;;
    postgres)
      PG_DB="rosetta_stall_$$"
      psql -q "$PG_URL/postgres" -c "CREATE DATABASE $PG_DB" >/dev/null
      URL="$PG_URL/$PG_DB"
      ;;
    *) echo "import_stall: unknown backend $backend" >&2; exit 1 ;;
  esac
  "$LOADER" --database-url "$URL" --users 0 --tenant-name "Stall A" --bcrypt-cost 4 >"$WORK/a.json"
  "$LOADER" --database-url "$URL" --users 0 --tenant-name "Stall B" --bcrypt-cost 4 >"$WORK/b.json"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$PORT"
  (cd "$WORK" && exec env ROSETTA_DATABASE_URL="$URL" ROSETTA_LISTEN="127.0.0.1:$PORT" \
    ROSETTA_EMAIL_DIR="$WORK/outbox-$backend" RUST_LOG=warn "$BIN" serve) >"$WORK/gateway-$backend.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null --max-time 2 "$BASE/readyz"; then break; fi
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/gateway-$backend.log" >&2; exit 1; }
    sleep 0.5
  done
  token() {
    read -r email password < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["admin"]["email"], d["password"])' "$1")
    curl -s --max-time 30 -H 'Content-Type: application/json' \
      -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$BASE/keaz/login" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
  }
  token_a=$(token "$WORK/a.json")
  token_b=$(token "$WORK/b.json")
  echo "import_stall $backend: $ROWS rows, load $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout 900 python3 "$WORK/drive.py" "$PORT" "$token_a" "$token_b" "$WORK/import.csv"
  kill "$PID"
  wait "$PID" || true
  PID=""
  if [ -n "$PG_DB" ]; then
    psql -q "$PG_URL/postgres" -c "DROP DATABASE $PG_DB" >/dev/null
    PG_DB=""
  fi
done
