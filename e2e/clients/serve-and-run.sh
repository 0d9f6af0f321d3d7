#!/usr/bin/env bash
# Starts a throwaway gateway (target/debug/rosetta on a free port, over a temp SQLite database
# or a fresh PostgreSQL one), creates a tenant and a keaz-holding administrator through the
# CLI, and runs run.sh against it.
#   --backend sqlite|postgres (default sqlite; postgres: a new database on
#     ROSETTA_CLIENTS_POSTGRES, default postgres://postgres@127.0.0.1:5432, dropped at the end)
# Other arguments and the environment (ROSETTA_CLIENTS, ROSETTA_CLIENTS_INSTALL) pass through
# to run.sh. ROSETTA_CLIENTS_BUILD=0 uses the binary as it is.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/target/debug/rosetta"
backend=sqlite
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="${2:-}"; shift 2 ;;
    --backend=*) backend="${1#--backend=}"; shift ;;
    *) pass+=("$1"); shift ;;
  esac
done
case "$backend" in
  sqlite|postgres) ;;
  *) echo "setup error: --backend must be sqlite or postgres, not '$backend'" >&2; exit 2 ;;
esac

if [ "${ROSETTA_CLIENTS_BUILD:-1}" != 0 ]; then
  (cd "$root" && cargo build -q -p rosetta-server --bin rosetta) || { echo "setup error: cargo build failed" >&2; exit 2; }
fi
[ -x "$bin" ] || { echo "setup error: $bin missing" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
pg_server="${ROSETTA_CLIENTS_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
pg_db=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  if [ -n "$pg_db" ]; then
    psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
if [ "$backend" = postgres ]; then
  pg_db="rosetta_clients_$$_$(date +%s)"
  psql "$pg_server/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null ||
    { pg_db=""; echo "setup error: cannot create a database on $pg_server" >&2; exit 2; }
  export ROSETTA_DATABASE_URL="$pg_server/$pg_db"
else
  export ROSETTA_DATABASE_URL="sqlite://$work/rosetta.db"
fi
echo "backend: $backend"
export ROSETTA_LISTEN="127.0.0.1:$port"
export ROSETTA_SECURITY_BCRYPT_COST=4
export ROSETTA_EMAIL_DIR="$work/outbox"
cd "$work"

"$bin" migrate >/dev/null || { echo "setup error: rosetta migrate failed" >&2; exit 2; }
tenant="$("$bin" tenant create --name "Clients $$" --json)" || { echo "setup error: tenant create failed" >&2; exit 2; }
read -r tenant_id company_id key < <(python3 -c 'import json,sys; t=json.loads(sys.argv[1]); print(t["tenant_id"], t["company_id"], t["integration_key"])' "$tenant")
admin="$("$bin" user create --tenant "$tenant_id" --username admin --email admin@example.com \
  --password 'admin-pass' --perms admin,keaz --json)" || { echo "setup error: user create failed" >&2; exit 2; }
admin_uuid="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["uuid"])' "$admin")"

"$bin" serve >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "setup error: gateway exited:" >&2; cat "$work/serve.log" >&2; exit 2; }
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "setup error: gateway not ready" >&2; exit 2; }

ROSETTA_V2_BASE_URL="http://127.0.0.1:$port" ROSETTA_V2_COMPANY_ID="$company_id" \
  ROSETTA_V2_INTEGRATION_KEY="$key" ROSETTA_V2_KEAZ_USER_ID="$admin_uuid" \
  "$here/run.sh" "${pass[@]}"
