#!/usr/bin/env bash
# Counts the PostgreSQL statements one GET by id costs in each dialect (kashflow, usr, keaz,
# v2 JSON), from the database's own counters: every read the gateway makes outside a write is
# one autocommit transaction, so `xact_commit + xact_rollback` of pg_stat_database, read before
# and after N sequential requests, less what the idle gateway did in as long, divided by N, is
# the statements per request. No timing: the counts do not depend on the machine's load.
#
#   bench/statements.sh            prints one JSON line per dialect: {"scenario", "requests",
#                                  "statements_per_request"}
#
# Settings (environment):
#   BENCH_BIN_DIR=(build)      rosetta and rosetta-bench-loader from this directory instead of
#                              this checkout's release build
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432   a throwaway database is made there
#   BENCH_PG_DB=rosetta_statements_$$
#   BENCH_PORT=18090
#   STATEMENTS_REQUESTS=300    requests per dialect
#   STATEMENTS_USERS=1000      users loaded
set -euo pipefail
cd "$(dirname "$0")/.."
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
PG_DB=${BENCH_PG_DB:-rosetta_statements_$$}
PORT=${BENCH_PORT:-18090}
N=${STATEMENTS_REQUESTS:-300}
USERS=${STATEMENTS_USERS:-1000}
BASE="http://127.0.0.1:$PORT"
# PostgreSQL flushes a backend's counters once it has been idle for up to 10 s (PG 15).
FLUSH_WAIT=11
log() { echo "statements: $*" >&2; }

if [ -n "${BENCH_BIN_DIR:-}" ]; then
  BIN=$BENCH_BIN_DIR
else
  cargo build --release -q -p rosetta-server -p rosetta-bench-loader
  BIN=${CARGO_TARGET_DIR:-$(pwd)/target}/release
fi
WORK=$(mktemp -d /tmp/rosetta-statements.XXXXXX)
GATEWAY_PID=""
cleanup() {
  if [ -n "$GATEWAY_PID" ]; then
    kill -TERM "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

psql "$PG_URL/postgres" -qc "CREATE DATABASE $PG_DB" >/dev/null
URL="$PG_URL/$PG_DB"
log "loading $USERS users"
"$BIN/rosetta-bench-loader" --database-url "$URL" --users "$USERS" --bcrypt-cost 4 >"$WORK/load.json"
L="$WORK/load.json"
user_id=$(jq -r .known_user.id "$L")
user_uuid=$(jq -r .known_user.uuid "$L")
company=$(jq -r .company_id "$L")
key=$(jq -r .integration_key "$L")
usr_token=$(jq -r .usr_token "$L")
password=$(jq -r .password "$L")
word=$(jq -r .memorable_word "$L")
admin_user=$(jq -r .admin.username "$L")
admin_email=$(jq -r .admin.email "$L")

(
  cd "$WORK"
  exec env ROSETTA_DATABASE_URL="$URL" ROSETTA_LISTEN="127.0.0.1:$PORT" \
    ROSETTA_SECURITY_BCRYPT_COST=4 ROSETTA_EMAIL_DIR="$WORK/outbox" RUST_LOG=warn \
    "$BIN/rosetta" serve
) >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 120); do
  curl -s -o /dev/null --max-time 2 "$BASE/readyz" && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { cat "$WORK/gateway.log" >&2; exit 1; }
  sleep 0.5
done

post() { curl -s --max-time 30 -H 'Content-Type: application/json' "$@"; }
answer=$(post -X POST "$BASE/kashflow/sessiontoken" \
  -d "$(jq -nc --arg u "$admin_user" --arg p "$password" '{UserName:$u, Password:$p}')" |
  jq -c --arg w "$word" '{TemporaryToken, MemorableWordList:
    [.MemorableWordList[].Position | {Position: ., Value: $w[.-1:.]}]}')
kf_token=$(post -X PUT "$BASE/kashflow/sessiontoken" -d "$answer" | jq -r .SessionToken)
keaz_token=$(post -X POST "$BASE/keaz/login" \
  -d "$(jq -nc --arg e "$admin_email" --arg p "$password" '{email:$e, password:$p}')" | jq -r .token)

xacts() {
  psql "$PG_URL/postgres" -Atc \
    "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$PG_DB'"
}

# What the gateway does by itself (background work) over one counting window.
sleep "$FLUSH_WAIT"
idle0=$(xacts)
sleep "$FLUSH_WAIT"
idle1=$(xacts)

count() { # scenario url [curl arguments...]
  local name=$1 url=$2
  shift 2
  local args=() i
  for i in $(seq 1 "$N"); do args+=(-o /dev/null "$url"); done
  # Once first, so what a first request does (a role catalogue read, a credential verified)
  # is not counted.
  curl -s -o /dev/null --max-time 30 -w '%{http_code}' "$@" "$url" | grep -q '^2' ||
    { log "$name: the probe did not answer 2xx"; return 1; }
  sleep "$FLUSH_WAIT"
  local before after
  before=$(xacts)
  curl -s --max-time 300 "$@" "${args[@]}"
  sleep "$FLUSH_WAIT"
  after=$(xacts)
  jq -nc --arg s "$name" --argjson n "$N" --argjson d "$((after - before))" \
    --argjson idle "$((idle1 - idle0))" \
    '{scenario: $s, requests: $n, transactions: $d, idle_per_window: $idle,
      statements_per_request: ((($d - $idle) / $n * 100 | round) / 100)}'
}

count kashflow_get "$BASE/kashflow/users/$user_id" -H "Authorization: KfToken $kf_token"
count usr_get "$BASE/usr/$user_id" -H "Authorization: Bearer $usr_token"
count keaz_get "$BASE/keaz/user/$user_id?token=$keaz_token"
count v2_get_json "$BASE/api/v2/user?format=json&CompanyId=$company&IntegrationKey=$key&Id=$user_uuid"
