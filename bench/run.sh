#!/usr/bin/env bash
# Benchmarks the release gateway with wrk, on SQLite and on PostgreSQL, and writes
# docs/performance.md: rps, p50 and p99 per scenario, each as a ratio to the baseline measured
# in the same run, with the machine, the settings and the command to reproduce.
#
# Only loopback traffic; every wrk run is bounded by its duration, every curl by --max-time.
# A scenario whose route answers 404 on this build (a dialect not merged yet) is recorded as
# "not available" and skipped.
#
#   bench/run.sh           the full run: every scenario, writes the whole report
#   bench/run.sh --scim    the SCIM comparison only: baseline, scim_get and scim_filter on each
#                          backend and against scim2-server, written into the report's SCIM
#                          section (the rest of BENCH_OUT is kept as it is)
#
# Before and after every scenario the harness reads the load average and how much CPU other
# processes used during it (the machine is shared); a scenario during which they used more than
# BENCH_BUSY_MAX cores is run once more at the end of its server's scenarios, and the report
# keeps the attempt with the quieter machine.
#
# Settings (environment):
#   BENCH_USERS=1000000        users loaded into the one benchmark tenant
#   BENCH_DURATION=20s         each scenario
#   BENCH_MIXED_DURATION=60s   the 90/10 mixed load
#   BENCH_THREADS=2            wrk threads
#   BENCH_CONNECTIONS=32       wrk connections (GET scenarios, mixed, GET under the flood)
#   BENCH_FLOOD_CONNECTIONS=4  connections logging in during the flood
#   BENCH_BCRYPT_COST=12       the gateway's security.bcrypt_cost and the loaded hash's cost
#   BENCH_BACKENDS="sqlite postgres"
#   BENCH_PORT=18080           the gateway listens on 127.0.0.1:PORT
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432   a throwaway database is made there
#   BENCH_OUT=docs/performance.md
#   BENCH_SMOKE=auto           1: mark the report as a smoke run (auto: when BENCH_USERS < 1M)
#   BENCH_WORK=(temp dir)      databases, logs and raw wrk output are kept there
#   BENCH_ONLY=(all)           run only these scenarios (names as in the report, space
#                              separated, e.g. "baseline scim_get scim_filter"); the others are
#                              left out of the report
#   BENCH_SCIM_REFERENCE=1     also measure the reference SCIM server scim2-server (pip, its own
#                              venv), loaded with the first backend's users, same scenarios
#   BENCH_SCIM_REFERENCE_USERS=(all)   load only the first N of them into scim2-server (it
#                              keeps every user in memory); the report says how many
#   BENCH_SCIM_VENV=~/.cache/rosetta/scim-venv   its venv (made once from e2e/scim/requirements.txt)
#   BENCH_REFERENCE_PORT=$((BENCH_PORT + 1))
#   BENCH_REFERENCE_PROBE_TIMEOUT=600   seconds the first request to scim2-server may take
#   BENCH_REFERENCE_READY_TIMEOUT=7200  seconds its load may take before it is given up
#   BENCH_PG_DB=rosetta_bench_$$ (--scim: bench_scim_$$)   the throwaway PostgreSQL database
#   BENCH_BUSY_MAX=0.5         cores other processes may use during a scenario before it is retried
#   BENCH_KEEP_DATA=0          1: keep the SQLite database and the exported users in BENCH_WORK
#   BENCH_BIN_DIR=(build)      measure the rosetta and rosetta-bench-loader binaries in this
#                              directory instead of building this checkout's (e.g. a copy of
#                              main's, for a before/after pair); the report's commit is then
#                              only the checkout's, so say which binaries were measured
#   BENCH_SEARCH_CONNECTIONS=1 wrk connections of the search scenarios (v2_search_selective_*,
#                              v2_search_broad_*, scim_search_*): 1 measures one request's
#                              latency, with no queueing behind the others
#   BENCH_SEARCH_SELECTIVE="ada lovelace"  the selective v2 term (a full name: 1 in 3,072 users)
set -euo pipefail
MODE=full
for arg in "$@"; do
  case "$arg" in
    --scim) MODE=scim ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
ROOT=$(pwd)

USERS=${BENCH_USERS:-1000000}
DURATION=${BENCH_DURATION:-20s}
MIXED_DURATION=${BENCH_MIXED_DURATION:-60s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
FLOOD_CONNECTIONS=${BENCH_FLOOD_CONNECTIONS:-4}
COST=${BENCH_BCRYPT_COST:-12}
BACKENDS=${BENCH_BACKENDS:-sqlite postgres}
PORT=${BENCH_PORT:-18080}
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
OUT=${BENCH_OUT:-docs/performance.md}
SMOKE=${BENCH_SMOKE:-auto}
SEARCH_CONNECTIONS=${BENCH_SEARCH_CONNECTIONS:-1}
SEARCH_SELECTIVE=${BENCH_SEARCH_SELECTIVE:-ada lovelace}
TIMEOUT=30s
BASE="http://127.0.0.1:$PORT"
ONLY=${BENCH_ONLY:-}
if [ "$MODE" = scim ] && [ -z "$ONLY" ]; then ONLY="baseline scim_get scim_filter baseline_end"; fi
PG_DB_NAME=${BENCH_PG_DB:-}
if [ -z "$PG_DB_NAME" ]; then
  if [ "$MODE" = scim ]; then PG_DB_NAME="bench_scim_$$"; else PG_DB_NAME="rosetta_bench_$$"; fi
fi
REFERENCE_PROBE_TIMEOUT=${BENCH_REFERENCE_PROBE_TIMEOUT:-600}
READY_TIMEOUT=${BENCH_REFERENCE_READY_TIMEOUT:-7200}
BUSY_MAX=${BENCH_BUSY_MAX:-0.5}
KEEP_DATA=${BENCH_KEEP_DATA:-0}
CORES=$(nproc)
HZ=$(getconf CLK_TCK)
SCIM_REFERENCE=${BENCH_SCIM_REFERENCE:-1}
REFERENCE_USERS=${BENCH_SCIM_REFERENCE_USERS:-0}
SCIM_VENV=${BENCH_SCIM_VENV:-$HOME/.cache/rosetta/scim-venv}
REFERENCE_PORT=${BENCH_REFERENCE_PORT:-$((PORT + 1))}
if [ "$SMOKE" = auto ]; then
  if [ "$USERS" -lt 1000000 ]; then SMOKE=1; else SMOKE=0; fi
fi

WORK=${BENCH_WORK:-$(mktemp -d /tmp/rosetta-bench.XXXXXX)}
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
log() { echo "bench: $*" >&2; }

# ----- tools ---------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get install -y -q "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
fi

if [ -n "${BENCH_BIN_DIR:-}" ]; then
  ROSETTA="$BENCH_BIN_DIR/rosetta"
  LOADER="$BENCH_BIN_DIR/rosetta-bench-loader"
  log "measuring the binaries in $BENCH_BIN_DIR (not building)"
else
  log "building the release gateway and the loader"
  cargo build --release -q -p rosetta-server -p rosetta-bench-loader
  TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
  ROSETTA="$TARGET/release/rosetta"
  LOADER="$TARGET/release/rosetta-bench-loader"
fi

# ----- processes we start, and their cleanup -------------------------------------------------
GATEWAY_PID=""
REFERENCE_PID=""
PG_DB=""
cleanup() {
  if [ -n "$REFERENCE_PID" ] && kill -0 "$REFERENCE_PID" 2>/dev/null; then
    kill -TERM "$REFERENCE_PID" 2>/dev/null || true
    wait "$REFERENCE_PID" 2>/dev/null || true
  fi
  if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
    kill -TERM "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DB" ]; then
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

start_gateway() { # url dir
  (
    cd "$2"
    exec env ROSETTA_DATABASE_URL="$1" ROSETTA_LISTEN="127.0.0.1:$PORT" \
      ROSETTA_SECURITY_BCRYPT_COST="$COST" ROSETTA_SERVER_BENCH_BASELINE=true \
      ROSETTA_EMAIL_DIR="$2/outbox" RUST_LOG="${RUST_LOG:-info}" ROSETTA_LOG_FORMAT=json \
      "$ROSETTA" serve
  ) >"$2/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null --max-time 2 "$BASE/readyz"; then return 0; fi
    kill -0 "$GATEWAY_PID" 2>/dev/null || { cat "$2/gateway.log" >&2; return 1; }
    sleep 0.5
  done
  log "the gateway did not become ready"
  return 1
}

stop_gateway() {
  kill -TERM "$GATEWAY_PID" 2>/dev/null || true
  wait "$GATEWAY_PID" 2>/dev/null || true
  GATEWAY_PID=""
}

# Waits (up to 60 s) until no database connection is in use, so requests a scenario left queued
# in the gateway (a slow search outlives the wrk run that sent it) do not land in the next one.
settle() {
  local idle busy quiet=0
  for _ in $(seq 1 120); do
    busy=$(curl -s --max-time 2 "$BASE/metrics" | awk '
      /^rosetta_db_pool_connections\{state="idle"\}/ {idle=$2}
      /^rosetta_db_pool_connections\{state="total"\}/ {total=$2}
      END {print total - idle}')
    if [ "${busy:-1}" = 0 ]; then
      quiet=$((quiet + 1))
      [ "$quiet" -ge 2 ] && return 0
    else
      quiet=0
    fi
    sleep 0.5
  done
  log "$BACKEND: the gateway still had busy connections after 60 s"
}

# HTTP status of a request (curl arguments); the body goes to $WORK/probe.body.
http() {
  curl -s -o "$WORK/probe.body" -w '%{http_code}' --max-time 30 "$@" || echo 000
}

record() { # backend scenario status [note]
  jq -nc --arg b "$1" --arg s "$2" --arg st "$3" --arg n "${4:-}" \
    '{backend:$b, scenario:$s, status:$st, note:$n}' >>"$RESULTS"
}

# ----- how busy the shared machine was --------------------------------------------------------
# CPU ticks (user + system) of the processes serving the benchmark: the gateway or scim2-server,
# and on PostgreSQL the backends connected to the benchmark's database.
our_ticks() {
  local pids=() p
  [ -n "$GATEWAY_PID" ] && pids+=("$GATEWAY_PID")
  [ -n "$REFERENCE_PID" ] && pids+=("$REFERENCE_PID")
  if [ -n "$PG_DB" ]; then
    for p in $(pgrep -f "^postgres: [^ ]+ $PG_DB " 2>/dev/null || true); do pids+=("$p"); done
  fi
  local total=0 t
  for p in "${pids[@]}"; do
    # Fields after "pid (comm) ": utime is the 12th, stime the 13th.
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# Busy and total CPU ticks of the whole machine (/proc/stat).
machine_ticks() {
  awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat
}

# Runs one wrk scenario: name duration connections script [VAR=value...]. Beside wrk's figures
# it records the load average (`uptime`) before and after, and how many cores other processes
# kept busy meanwhile (the machine's busy time less the server's, its database's and wrk's).
run_wrk() {
  local name=$1 dur=$2 conns=$3 script=$4
  shift 4
  local raw="$BDIR/$name.txt"
  [ -e "$raw" ] && raw="$BDIR/$name.retry.txt"
  log "$BACKEND: $name ($dur, $conns connections); load $(cut -d' ' -f1-3 /proc/loadavg)"
  local up_before up_after m0 m1 o0 o1 wrk_cpu
  up_before=$(uptime)
  read -r -a m0 <<<"$(machine_ticks)"
  o0=$(our_ticks)
  local TIMEFORMAT='%3U %3S'
  # wrk needs at least one connection a thread (a retried search scenario comes back here
  # with the global THREADS, not the one its caller had lowered).
  local threads=$((THREADS < conns ? THREADS : conns))
  { time env "$@" BENCH_SCENARIO="$name" wrk -t"$threads" -c"$conns" -d"$dur" --timeout "$TIMEOUT" \
    -s "$ROOT/bench/$script" "$BASE" >"$raw" 2>&1 || true; } 2>"$raw.cpu"
  o1=$(our_ticks)
  read -r -a m1 <<<"$(machine_ticks)"
  up_after=$(uptime)
  wrk_cpu=$(awk -v hz="$HZ" '{printf "%d", ($1 + $2) * hz}' "$raw.cpu" 2>/dev/null || echo 0)
  local others
  others=$(awk -v busy=$((m1[0] - m0[0])) -v total=$((m1[1] - m0[1])) -v ours=$((o1 - o0)) \
    -v wrk="${wrk_cpu:-0}" -v cores="$CORES" \
    'BEGIN {o = total > 0 ? (busy - ours - wrk) / total * cores : 0; if (o < 0) o = 0; printf "%.2f", o}')
  local line
  line=$(grep '^BENCH_RESULT ' "$raw" | tail -n1 | cut -d' ' -f2- || true)
  if [ -z "$line" ]; then
    record "$BACKEND" "$name" failed "wrk printed no result: $(tail -n1 "$raw")"
  else
    jq -c --arg b "$BACKEND" --arg before "$up_before" --arg after "$up_after" \
      --argjson others "$others" --argjson attempt "${ATTEMPT:-1}" \
      '. + {backend:$b, status:"ok", uptime_before:$before, uptime_after:$after,
            other_cores:$others, attempt:$attempt}' <<<"$line" >>"$RESULTS"
  fi
  LAST_OTHERS=$others
}

# Scenarios to run once more, at the end of the current server's scenarios, because other
# processes were busy while they ran (printf %q words: name duration connections script vars).
RETRIES=()
retry_busy() {
  local item saved_base=$BASE
  for item in "${RETRIES[@]}"; do
    eval "local args=($item)"
    log "$BACKEND: ${args[1]}: once more (other processes were busy the first time)"
    BASE=${args[0]}
    ATTEMPT=2 run_wrk "${args[@]:1}"
  done
  BASE=$saved_base
  RETRIES=()
}

# Whether a scenario is to be run (BENCH_ONLY).
wanted() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# Runs a scenario only when its probe answers 2xx; 404 is "not available" on this build.
scenario() { # name probe-status duration connections script [VAR=value...]
  local name=$1 status=$2
  wanted "$name" || return 0
  shift 2
  case "$status" in
    2??)
      LAST_OTHERS=0
      run_wrk "$name" "$@"
      if [ "$name" != mixed ] && awk -v o="$LAST_OTHERS" -v m="$BUSY_MAX" 'BEGIN {exit !(o > m)}'; then
        log "$BACKEND: $name: other processes used $LAST_OTHERS cores meanwhile; it runs again later"
        RETRIES+=("$(printf '%q ' "$BASE" "$name" "$@")")
      fi
      ;;
    404) log "$BACKEND: $name: not available (404)"; record "$BACKEND" "$name" "not available" "route answers 404 on this build" ;;
    *) log "$BACKEND: $name: probe answered $status"; record "$BACKEND" "$name" "not measured" "probe answered HTTP $status" ;;
  esac
}

# The search scenarios (issue 18): v2 `Name=` with a selective and the broad term, SCIM `co`
# and `sw`, each at the first page and at 90% of its matches, at SEARCH_CONNECTIONS.
search_scenarios() { # company key broad-term broad-matches scim-token
  local company=$1 key=$2 broad=$3 broad_matches=$4 token=$5
  local v2_q="CompanyId=$company&IntegrationKey=$key" status total
  # wrk needs at least one connection a thread.
  local THREADS=$((THREADS < SEARCH_CONNECTIONS ? THREADS : SEARCH_CONNECTIONS))
  settle
  status=$(http -G "$BASE/api/v2/user/search" --data-urlencode "format=json" \
    --data-urlencode "CompanyId=$company" --data-urlencode "IntegrationKey=$key" \
    --data-urlencode "Name=$SEARCH_SELECTIVE" --data-urlencode "PageSize=100")
  total=$(jq -r '.TotalRows // 0' "$WORK/probe.body" 2>/dev/null || echo 0)
  log "$BACKEND: v2 Name=$SEARCH_SELECTIVE: $total matches"
  scenario v2_search_selective_first "$status" "$DURATION" "$SEARCH_CONNECTIONS" v2_search.lua \
    COMPANY_ID="$company" INTEGRATION_KEY="$key" SEARCH_NAME="$SEARCH_SELECTIVE" PAGE_NO=0
  scenario v2_search_selective_deep "$status" "$DURATION" "$SEARCH_CONNECTIONS" v2_search.lua \
    COMPANY_ID="$company" INTEGRATION_KEY="$key" SEARCH_NAME="$SEARCH_SELECTIVE" \
    PAGE_NO="$(( total * 9 / 10 / 100 ))"
  status=$(http "$BASE/api/v2/user/search?format=json&$v2_q&Name=$broad&PageNo=0&PageSize=100")
  scenario v2_search_broad_first "$status" "$DURATION" "$SEARCH_CONNECTIONS" v2_search.lua \
    COMPANY_ID="$company" INTEGRATION_KEY="$key" SEARCH_NAME="$broad" PAGE_NO=0
  scenario v2_search_broad_deep "$status" "$DURATION" "$SEARCH_CONNECTIONS" v2_search.lua \
    COMPANY_ID="$company" INTEGRATION_KEY="$key" SEARCH_NAME="$broad" \
    PAGE_NO="$(( broad_matches * 9 / 10 / 100 ))"
  local name filter
  for name in "sw_selective|userName sw \"ada.lovelace1\"" \
    "co_selective|userName co \"lovelace12\"" \
    "co_surname|name.familyName co \"lovelace\"" \
    "co_broad|name.familyName co \"an\""; do
    filter=${name#*|}
    name=${name%%|*}
    settle
    status=$(http -G -H "Authorization: Bearer $token" "$BASE/scim/v2/Users" \
      --data-urlencode "filter=$filter" --data-urlencode "count=100")
    total=$(jq -r '.totalResults // 0' "$WORK/probe.body" 2>/dev/null || echo 0)
    log "$BACKEND: scim filter=$filter: $total matches"
    scenario "scim_search_${name}_first" "$status" "$DURATION" "$SEARCH_CONNECTIONS" \
      scim_search.lua SCIM_TOKEN="$token" SCIM_FILTER="$filter" SCIM_START=1
    scenario "scim_search_${name}_deep" "$status" "$DURATION" "$SEARCH_CONNECTIONS" \
      scim_search.lua SCIM_TOKEN="$token" SCIM_FILTER="$filter" \
      SCIM_START="$(( total * 9 / 10 + 1 ))"
  done
}

# The users of a tenant as scim_reference.py reads them: uuid, userName, givenName, familyName,
# formatted, email, externalId, active (1/0), tab separated, in id order.
export_users() { # url tenant_id
  local q="SELECT uuid, username, first_name, last_name, full_name, email,
    COALESCE(external_id, ''), CASE WHEN status = 'active' THEN 1 ELSE 0 END
    FROM users WHERE tenant_id = $2 ORDER BY id"
  case "$1" in
    sqlite://*) sqlite3 -separator $'\t' "${1#sqlite://}" "$q" ;;
    *) psql "$1" -AtF $'\t' -c "$q" ;;
  esac
}

# The reference SCIM server, scim2-server, with the users of the first backend, and the two
# SCIM scenarios against it (same wrk settings, same user).
bench_reference() {
  BACKEND=scim2-server
  BDIR="$WORK/$BACKEND"
  rm -rf "$BDIR"
  mkdir -p "$BDIR"
  local want
  want="$(sed -n 's/^scim2-server==//p' "$ROOT/e2e/scim/requirements.txt")"
  if ! "$SCIM_VENV/bin/pip" show scim2-server 2>/dev/null | grep -qx "Version: $want"; then
    log "making the scim2-server venv ($SCIM_VENV)"
    python3 -m venv "$SCIM_VENV"
    "$SCIM_VENV/bin/pip" install -q -r "$ROOT/e2e/scim/requirements.txt"
  fi
  local token total uuid name
  token="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  total=$(wc -l <"$WORK/reference_users.tsv")
  uuid=$(jq -r .uuid "$WORK/reference_known.json")
  name=$(jq -r .username "$WORK/reference_known.json")
  local limit=$REFERENCE_USERS
  [ "$limit" -gt 0 ] 2>/dev/null && [ "$limit" -le "$total" ] || limit=$total
  # scim2-server keeps every user as Python objects, some 6 KiB each (measured: 5,000 users,
  # 0.8.3); on a shared machine, load no more than the memory available now holds with room
  # to spare, and say so in the report.
  local avail_kib fits memory_note=""
  avail_kib=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
  fits=$(( (avail_kib - 2 * 1024 * 1024) / 8 ))
  if [ "$fits" -lt "$limit" ]; then
    [ "$fits" -lt 1000 ] && fits=1000
    memory_note="limited to $fits by the memory available when it started ($((avail_kib / 1024)) MiB; 8 KiB a user kept, 2 GiB to spare)"
    log "$BACKEND: $memory_note"
    limit=$fits
  fi
  # With fewer users than Rosetta holds, load the window centred on the user both are read
  # with, so it is loaded and sits in the middle of scim2-server's users as it does in Rosetta's.
  local line skip=0
  line=$(grep -n -m1 "^$uuid"$'\t' "$WORK/reference_users.tsv" | cut -d: -f1)
  if [ "$limit" -lt "$total" ]; then
    skip=$(( ${line:-1} - 1 - limit / 2 ))
    [ "$skip" -lt 0 ] && skip=0
    [ "$skip" -gt $((total - limit)) ] && skip=$((total - limit))
  fi
  log "$BACKEND: loading $limit of $total users into scim2-server (from line $((skip + 1)))"
  local load_before
  load_before=$(uptime)
  "$SCIM_VENV/bin/python" "$ROOT/bench/scim_reference.py" --port "$REFERENCE_PORT" --token "$token" \
    --users-file "$WORK/reference_users.tsv" --skip "$skip" --limit "$limit" \
    --warm-id "$uuid" --warm-user-name "$name" >"$BDIR/ready.json" 2>"$BDIR/server.log" &
  REFERENCE_PID=$!
  # Loading a million pydantic models takes minutes (many more when the machine is busy): wait
  # for its "ready" line, at most BENCH_REFERENCE_READY_TIMEOUT seconds.
  for _ in $(seq 1 $((READY_TIMEOUT * 2))); do
    [ -s "$BDIR/ready.json" ] && break
    kill -0 "$REFERENCE_PID" 2>/dev/null || break
    sleep 0.5
  done
  if [ ! -s "$BDIR/ready.json" ]; then
    local why="scim2-server did not start: $(tail -n1 "$BDIR/server.log")"
    if kill -0 "$REFERENCE_PID" 2>/dev/null; then
      why="scim2-server had not loaded $limit users after ${READY_TIMEOUT} s (BENCH_REFERENCE_READY_TIMEOUT)"
      kill -TERM "$REFERENCE_PID" 2>/dev/null || true
      wait "$REFERENCE_PID" 2>/dev/null || true
    fi
    REFERENCE_PID=""
    log "$BACKEND: $why"
    record "$BACKEND" scim_get "not measured" "$why"
    record "$BACKEND" scim_filter "not measured" "$why"
    jq -nc --arg why "$why" --argjson total "$total" --argjson limit "$limit" --arg version "$want" \
      --slurpfile known "$WORK/reference_known.json" \
      '{failed: $why, loaded: 0, asked: $limit, exported: $total, version: $version, from: $known[0].from}' \
      >"$WORK/reference.json"
    return 0
  fi
  log "$BACKEND: ready: $(cat "$BDIR/ready.json")"

  # The baseline of this part of the run: the same gateway binary's GET /bench/baseline, on a
  # small database of its own, measured while scim2-server sits loaded and idle, and stopped
  # before scim2-server is measured (so the two never share the cores).
  if wanted baseline; then
    "$LOADER" --database-url "sqlite://$BDIR/baseline.db" --users 1000 --bcrypt-cost 4 \
      --login-users 10 >"$BDIR/baseline-load.json"
    start_gateway "sqlite://$BDIR/baseline.db" "$BDIR"
    scenario baseline "$(http "$BASE/bench/baseline")" "$DURATION" "$CONNECTIONS" baseline.lua
    retry_busy
    stop_gateway
    rm -f "$BDIR"/baseline.db*
  fi

  local ref="http://127.0.0.1:$REFERENCE_PORT"
  local get_status filter_status
  # Both were asked once in process before it served; these probes get the patience of its
  # first answers anyway (BENCH_REFERENCE_PROBE_TIMEOUT), not the gateway's 30 s.
  get_status=$(curl -s -o "$WORK/probe.body" -w '%{http_code}' --max-time "$REFERENCE_PROBE_TIMEOUT" \
    -H "Authorization: Bearer $token" "$ref/v2/Users/$uuid" || echo 000)
  filter_status=$(curl -s -o "$WORK/probe.body" -w '%{http_code}' --max-time "$REFERENCE_PROBE_TIMEOUT" \
    -G -H "Authorization: Bearer $token" "$ref/v2/Users" \
    --data-urlencode "filter=userName eq \"$name\"" || echo 000)
  if [ "${filter_status:0:1}" = 2 ] && [ "$(jq -r .totalResults "$WORK/probe.body")" != 1 ]; then
    filter_status="200 (totalResults $(jq -r .totalResults "$WORK/probe.body"), not 1)"
  fi
  local saved_base=$BASE
  BASE=$ref
  scenario scim_get "$get_status" "$DURATION" "$CONNECTIONS" scim_get.lua \
    SCIM_PREFIX=/v2 SCIM_TOKEN="$token" USER_UUID="$uuid"
  scenario scim_filter "$filter_status" "$DURATION" "$CONNECTIONS" scim_filter.lua \
    SCIM_PREFIX=/v2 SCIM_TOKEN="$token" USER_NAME="$name"
  retry_busy
  BASE=$saved_base
  local hwm
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$REFERENCE_PID/status" 2>/dev/null || echo 0)
  kill -TERM "$REFERENCE_PID" 2>/dev/null || true
  wait "$REFERENCE_PID" 2>/dev/null || true
  REFERENCE_PID=""
  jq -c --argjson hwm "${hwm:-0}" --argjson total "$total" --arg version "$want" \
    --arg load_before "$load_before" --arg memory_note "$memory_note" --slurpfile known "$WORK/reference_known.json" \
    '. + {peak_rss_kib: $hwm, exported: $total, version: $version, from: $known[0].from,
          uptime_before_load: $load_before, memory_note: $memory_note}' "$BDIR/ready.json" >"$WORK/reference.json"
}

# ----- one backend ---------------------------------------------------------------------------
bench_backend() {
  BACKEND=$1
  BDIR="$WORK/$BACKEND"
  rm -rf "$BDIR"
  mkdir -p "$BDIR"
  local url
  case "$BACKEND" in
    sqlite) url="sqlite://$BDIR/rosetta.db" ;;
    postgres)
      if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
        log "starting the local PostgreSQL cluster"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
        for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
      fi
      PG_DB="$PG_DB_NAME"
      psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
      psql "$PG_URL/postgres" -qc "CREATE DATABASE $PG_DB" >/dev/null
      url="$PG_URL/$PG_DB"
      ;;
    *) log "unknown backend $BACKEND"; return 1 ;;
  esac

  log "$BACKEND: loading $USERS users"
  "$LOADER" --database-url "$url" --users "$USERS" --bcrypt-cost "$COST" \
    --login-users-file "$BDIR/login_users.txt" >"$BDIR/load.json"
  local L="$BDIR/load.json"
  local user_id user_uuid company key usr_token password word admin_user admin_email
  user_id=$(jq -r .known_user.id "$L")
  user_uuid=$(jq -r .known_user.uuid "$L")
  company=$(jq -r .company_id "$L")
  key=$(jq -r .integration_key "$L")
  usr_token=$(jq -r .usr_token "$L")
  password=$(jq -r .password "$L")
  word=$(jq -r .memorable_word "$L")
  admin_user=$(jq -r .admin.username "$L")
  admin_email=$(jq -r .admin.email "$L")
  local first_id last_id matches search_name deep_page mix_min
  first_id=$(jq -r .first_id "$L")
  last_id=$(jq -r .last_id "$L")
  search_name=$(jq -r .search.name "$L")
  matches=$(jq -r .search.matches "$L")
  deep_page=$(( matches * 9 / 10 / 100 ))
  # The mixed load renames the last 10,000 users; the login flood logs in the first ones, whose
  # usernames must still be the loaded ones.
  mix_min=$(( last_id - 9999 > first_id ? last_id - 9999 : first_id ))

  # SCIM: a bearer credential of the benchmark tenant, made with the CLI as an operator would.
  local scim_token user_name
  scim_token=$(ROSETTA_DATABASE_URL="$url" "$ROSETTA" --json credential create --tenant "$company" \
    --dialect scim --name bench 2>/dev/null | jq -r '.token // empty' || true)
  user_name=$(jq -r .known_user.username "$L")
  # The first backend's users are the ones the reference server is loaded with.
  if [ "$SCIM_REFERENCE" = 1 ] && [ ! -s "$WORK/reference_users.tsv" ]; then
    export_users "$url" "$(jq -r .tenant_id "$L")" >"$WORK/reference_users.tsv"
    jq -c '{uuid: .known_user.uuid, username: .known_user.username, from: "'"$BACKEND"'"}' "$L" \
      >"$WORK/reference_known.json"
  fi

  start_gateway "$url" "$BDIR"

  # kashflow: the administrator logs in through both steps (also a check of the login path).
  local kf_token="" kf_status
  kf_status=$(http -X POST "$BASE/kashflow/sessiontoken" -H 'Content-Type: application/json' \
    -d "$(jq -nc --arg u "$admin_user" --arg p "$password" '{UserName:$u, Password:$p}')")
  if [ "$kf_status" = 200 ]; then
    local answer
    answer=$(jq -c --arg w "$word" '{TemporaryToken, MemorableWordList:
      [.MemorableWordList[].Position | {Position: ., Value: $w[.-1:.]}]}' "$WORK/probe.body")
    kf_status=$(http -X PUT "$BASE/kashflow/sessiontoken" -H 'Content-Type: application/json' -d "$answer")
    [ "$kf_status" = 200 ] && kf_token=$(jq -r .SessionToken "$WORK/probe.body")
  fi
  local kf_get=$kf_status
  if [ -n "$kf_token" ]; then
    kf_get=$(http -H "Authorization: KfToken $kf_token" "$BASE/kashflow/users/$user_id")
  fi

  local keaz_token="" keaz_status keaz_get
  keaz_status=$(http -X POST "$BASE/keaz/login" -H 'Content-Type: application/json' \
    -d "$(jq -nc --arg e "$admin_email" --arg p "$password" '{email:$e, password:$p}')")
  if [ "$keaz_status" = 200 ]; then
    keaz_token=$(jq -r '.token // empty' "$WORK/probe.body")
    keaz_get=$(http "$BASE/keaz/user/$user_id?token=$keaz_token")
  else
    keaz_get=$keaz_status
  fi

  local usr_get v2_json v2_xml v2_search v2_q
  usr_get=$(http -H "Authorization: Bearer $usr_token" "$BASE/usr/$user_id")
  v2_q="CompanyId=$company&IntegrationKey=$key"
  v2_json=$(http "$BASE/api/v2/user?format=json&$v2_q&Id=$user_uuid")
  v2_xml=$(http "$BASE/api/v2/user?format=xml&$v2_q&Id=$user_uuid")
  v2_search=$(http "$BASE/api/v2/user/search?format=json&$v2_q&Name=$search_name&PageNo=0&PageSize=100")

  local scim_get scim_filter
  scim_get=$(http -H "Authorization: Bearer $scim_token" "$BASE/scim/v2/Users/$user_uuid")
  scim_filter=$(http -G -H "Authorization: Bearer $scim_token" "$BASE/scim/v2/Users" \
    --data-urlencode "filter=userName eq \"$user_name\"")
  if [ "${scim_filter:0:1}" = 2 ] && [ "$(jq -r .totalResults "$WORK/probe.body")" != 1 ]; then
    scim_filter="200 (totalResults $(jq -r .totalResults "$WORK/probe.body"), not 1)"
  fi

  local base_status
  base_status=$(http "$BASE/bench/baseline")
  scenario baseline "$base_status" "$DURATION" "$CONNECTIONS" baseline.lua
  scenario kashflow_get "$kf_get" "$DURATION" "$CONNECTIONS" kashflow_get.lua \
    KF_TOKEN="$kf_token" USER_ID="$user_id"
  scenario usr_get "$usr_get" "$DURATION" "$CONNECTIONS" usr_get.lua \
    USR_TOKEN="$usr_token" USER_ID="$user_id"
  scenario keaz_get "$keaz_get" "$DURATION" "$CONNECTIONS" keaz_get.lua \
    KEAZ_TOKEN="$keaz_token" USER_ID="$user_id"
  scenario v2_get_json "$v2_json" "$DURATION" "$CONNECTIONS" v2_get.lua \
    V2_FORMAT=json COMPANY_ID="$company" INTEGRATION_KEY="$key" USER_UUID="$user_uuid"
  scenario v2_get_xml "$v2_xml" "$DURATION" "$CONNECTIONS" v2_get.lua \
    V2_FORMAT=xml COMPANY_ID="$company" INTEGRATION_KEY="$key" USER_UUID="$user_uuid"
  scenario v2_search_first "$v2_search" "$DURATION" "$CONNECTIONS" v2_search.lua \
    COMPANY_ID="$company" INTEGRATION_KEY="$key" SEARCH_NAME="$search_name" PAGE_NO=0
  scenario v2_search_deep "$v2_search" "$DURATION" "$CONNECTIONS" v2_search.lua \
    COMPANY_ID="$company" INTEGRATION_KEY="$key" SEARCH_NAME="$search_name" PAGE_NO="$deep_page"
  scenario scim_get "$scim_get" "$DURATION" "$CONNECTIONS" scim_get.lua \
    SCIM_TOKEN="$scim_token" USER_UUID="$user_uuid"
  scenario scim_filter "$scim_filter" "$DURATION" "$CONNECTIONS" scim_filter.lua \
    SCIM_TOKEN="$scim_token" USER_NAME="$user_name"
  search_scenarios "$company" "$key" "$search_name" "$matches" "$scim_token"
  settle
  scenario mixed "$kf_get" "$MIXED_DURATION" "$CONNECTIONS" mixed.lua \
    KF_TOKEN="$kf_token" MIX_ID_MIN="$mix_min" MIX_ID_MAX="$last_id"
  if ! wanted login_flood; then
    :
  elif [ "${kf_get:0:1}" = 2 ]; then
    log "$BACKEND: login flood ($FLOOD_CONNECTIONS connections) with kashflow GET beside it"
    run_wrk login_flood "$DURATION" "$FLOOD_CONNECTIONS" login_flood.lua \
      LOGIN_USERS_FILE="$BDIR/login_users.txt" PASSWORD="$password" MEMORABLE_WORD="$word" &
    local flood=$!
    run_wrk kashflow_get_under_flood "$DURATION" "$CONNECTIONS" kashflow_get.lua \
      KF_TOKEN="$kf_token" USER_ID="$user_id"
    wait "$flood" || true
  else
    scenario login_flood "$kf_get"
    scenario kashflow_get_under_flood "$kf_get"
  fi
  retry_busy
  scenario baseline_end "$base_status" "$DURATION" "$CONNECTIONS" baseline.lua
  retry_busy

  local hwm
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$GATEWAY_PID/status" 2>/dev/null || echo 0)
  stop_gateway
  local locked errors
  locked=$(grep -c 'database is locked' "$BDIR/gateway.log" || true)
  errors=$(grep -c '"level":"ERROR"' "$BDIR/gateway.log" || true)
  jq -c --arg b "$BACKEND" --argjson hwm "${hwm:-0}" --argjson locked "${locked:-0}" \
    --argjson errors "${errors:-0}" --argjson deep "$deep_page" \
    '{backend:$b, peak_rss_kib:$hwm, database_locked:$locked, error_log_lines:$errors,
      deep_page:$deep, users, first_id, last_id, search, bcrypt_cost, bcrypt_hash_ms,
      bcrypt_verify_ms, timings}' "$L" >"$WORK/backend-$BACKEND.json"
  if [ "$BACKEND" = postgres ]; then
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    PG_DB=""
  elif [ "$KEEP_DATA" != 1 ]; then
    rm -f "$BDIR"/rosetta.db "$BDIR"/rosetta.db-wal "$BDIR"/rosetta.db-shm
  fi
}

for b in $BACKENDS; do
  bench_backend "$b"
done
if [ "$SCIM_REFERENCE" = 1 ] && [ -s "$WORK/reference_users.tsv" ]; then
  bench_reference
fi
# The export is as large as the users (some 150 MB at 1,000,000).
[ "$KEEP_DATA" = 1 ] || rm -f "$WORK/reference_users.tsv"

# ----- the report ----------------------------------------------------------------------------
command_line="BENCH_USERS=$USERS BENCH_DURATION=$DURATION"
[ "$MODE" = full ] && command_line+=" BENCH_MIXED_DURATION=$MIXED_DURATION"
command_line+=" BENCH_THREADS=$THREADS BENCH_CONNECTIONS=$CONNECTIONS"
[ "$MODE" = full ] && command_line+=" BENCH_FLOOD_CONNECTIONS=$FLOOD_CONNECTIONS"
command_line+=" BENCH_BCRYPT_COST=$COST BENCH_BACKENDS=\"$BACKENDS\""
[ -n "${BENCH_ONLY:-}" ] && command_line+=" BENCH_ONLY=\"$ONLY\""
[ "$SCIM_REFERENCE" = 1 ] || command_line+=" BENCH_SCIM_REFERENCE=0"
[ "$REFERENCE_USERS" -gt 0 ] 2>/dev/null && command_line+=" BENCH_SCIM_REFERENCE_USERS=$REFERENCE_USERS"
command_line+=" bench/run.sh"
[ "$MODE" = scim ] && command_line+=" --scim"
cores=$(nproc)
cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
mem=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
pg_version=$(psql "$PG_URL/postgres" -Atc 'SHOW server_version' 2>/dev/null || echo "n/a")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- crates bench Cargo.toml Cargo.lock 2>/dev/null)" ]; then
  commit+=" (with uncommitted changes)"
fi

backends_json() { for b in $BACKENDS; do cat "$WORK/backend-$b.json" 2>/dev/null || true; done | jq -s '.'; }
# The SCIM section (bench/scim_report.jq), the same in the full report and in a --scim run.
jq -s -r -f "$ROOT/bench/scim_report.jq" \
  --slurpfile backends <(backends_json) \
  --slurpfile reference <(cat "$WORK/reference.json" 2>/dev/null || echo null) \
  --arg mode "$MODE" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$commit" \
  --arg cores "$cores" --arg cpu "$cpu" --arg mem "$mem" --arg kernel "$(uname -r)" \
  --arg wrk "$(wrk -v 2>&1 | head -n1 | awk '{print $1, $2}')" --arg pg "$pg_version" \
  --arg dur "$DURATION" --arg threads "$THREADS" --arg conns "$CONNECTIONS" \
  --arg busymax "$BUSY_MAX" --arg cmd "$command_line" "$RESULTS" >"$WORK/scim_section.md"

# Puts the SCIM section into a report: in place of its SCIM section (from its heading to the
# next "## " heading) or of the marker the full report leaves, else before the targets, else at
# the end.
splice_scim() { # report
  awk -v section="$WORK/scim_section.md" '
    function put() { if (!done) { while ((getline l < section) > 0) print l; done = 1 } }
    /^## SCIM/ || /^<!-- SCIM section -->$/ { put(); skipping = ($0 ~ /^## SCIM/); next }
    skipping && /^## / { skipping = 0 }
    skipping { next }
    /^## Targets/ && !done { put() }
    { print }
    END { put() }
  ' "$1"
}

if [ "$MODE" = scim ]; then
  if [ -f "$OUT" ]; then
    splice_scim "$OUT" >"$WORK/report.md"
  else
    { echo "# Performance"; echo; cat "$WORK/scim_section.md"; } >"$WORK/report.md"
  fi
  cp "$WORK/report.md" "$OUT"
  log "wrote the SCIM section of $OUT (raw output in $WORK)"
  exit 0
fi

jq -s -r \
  --slurpfile backends <(backends_json) \
  --arg smoke "$SMOKE" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$commit" \
  --arg cores "$cores" --arg cpu "$cpu" --arg mem "$mem" --arg kernel "$(uname -r)" \
  --arg os "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")" \
  --arg wrk "$(wrk -v 2>&1 | head -n1 | awk '{print $1, $2}')" --arg pg "$pg_version" \
  --arg users "$USERS" --arg dur "$DURATION" --arg mixdur "$MIXED_DURATION" \
  --arg threads "$THREADS" --arg conns "$CONNECTIONS" --arg flood "$FLOOD_CONNECTIONS" \
  --arg cost "$COST" --arg cmd "$command_line" '
def n2(x): if x == null then "–" else ((x * 100 | round) / 100 | tostring) end;
def n0(x): if x == null then "–" else (x | round | tostring) end;
def pct(x): if x == null then "–" else ((x * 100 | round | tostring) + "%") end;
def ratio(a; b): if a == null or b == null or b == 0 then null else a / b end;
def x(r): if r == null then "–" else (n2(r) + "×") end;
def verdict(ok): if ok == null then "not measured" elif ok then "met" else "**missed**" end;
. as $rows
| ($backends[0]) as $bk
| def get(b; s): ($rows | map(select(.backend == b and .scenario == s))
    | (map(select(.status == "ok")) | min_by(.other_cores // 0)) // last);
  def ok(b; s): (get(b; s) | if . != null and .status == "ok" then . else null end);
  def info(b): ($bk | map(select(.backend == b)) | first);
[
  "# Performance",
  "",
  (if $smoke == "1" then
    "> **SMOKE RUN, not a measurement.** This file was written by a small end-to-end check of the harness (\($users) users, \($dur) per scenario) on a busy shared machine, while other builds were running, and with some dialects not merged yet. Do not read anything into these numbers; the full run (1,000,000 users, every dialect) is still to be done on a quiet machine with the command below."
   else empty end),
  (if $smoke == "1" then "" else empty end),
  "Written by `bench/run.sh` on \($date) at commit \($commit). Every figure comes from one run: each scenario is compared with the baseline (`GET /bench/baseline`, a fixed user-sized JSON answer with no database and no auth, `server.bench_baseline`) measured by the same binary in the same run. rps ratios above 1× are faster than the baseline; latency ratios above 1× are slower.",
  "",
  "## Machine",
  "",
  "| | |",
  "|---|---|",
  "| cores (`nproc`) | \($cores) |",
  "| CPU (`lscpu`) | \($cpu) |",
  "| memory | \($mem) |",
  "| kernel | \($kernel) |",
  "| OS | \($os) |",
  "| load generator | \($wrk), on the same machine |",
  "| PostgreSQL | \($pg) (local cluster, loopback) |",
  "",
  "## Settings",
  "",
  "| | |",
  "|---|---|",
  "| users in the benchmark tenant | \($users) |",
  "| duration | \($dur) per scenario, \($mixdur) for the mixed load |",
  "| wrk | \($threads) threads, \($conns) connections; the login flood \($flood) connections |",
  "| gateway | release build, `127.0.0.1`, `security.bcrypt_cost = \($cost)`, default workers (one per core) and pool (2 × cores), JSON logs at `info` |",
  "| reads | one known user in the middle of the id range; v2 search `Name=<term>`, `PageSize=100`, page 0 and the page at 90% of the matches |",
  "| mixed load | kashflow: 90% `GET /kashflow/users/{id}`, 10% `PUT` (rename) of the last 10,000 loaded users, ids drawn at random |",
  "| login flood | kashflow `POST` then `PUT /kashflow/sessiontoken` for random loaded users, with kashflow GET-by-id at full load beside it |",
  "",
  "Reproduce (from the repository root):",
  "",
  "```sh",
  $cmd,
  "```",
  "",
  "## Loading",
  "",
  "| backend | users | load | rate | planner statistics | one bcrypt hash / verify (cost \($cost)) |",
  "|---|---|---|---|---|---|",
  ($bk[] | "| \(.backend) | \(.users) | \(n2(.timings.load_s)) s | \(n0(.timings.users_per_s)) users/s | \(n2(.timings.analyze_s)) s | \(n0(.bcrypt_hash_ms)) ms / \(n0(.bcrypt_verify_ms)) ms |"),
  "",
  ($bk[] | .backend as $b | ok($b; "baseline") as $base |
    "## \($b)",
    "",
    "| scenario | rps | × baseline | p50 ms | × baseline | p99 ms | × baseline | non-2xx | notes |",
    "|---|---|---|---|---|---|---|---|---|",
    ( ["baseline", "kashflow_get", "usr_get", "keaz_get", "v2_get_json", "v2_get_xml",
       "v2_search_first", "v2_search_deep", "scim_get", "scim_filter", "mixed", "login_flood", "kashflow_get_under_flood",
       "baseline_end"][] as $s
      | get($b; $s) as $r
      | if $r == null then empty
        elif $r.status != "ok" then "| \($s) | \($r.status) | | | | | | | \($r.note) |"
        else
          ([ (if $s == "v2_search_deep" or $s == "v2_search_first" then "page \($r.page_no)" else empty end),
             (if $s == "mixed" then "\($r.reads) reads, \($r.writes) writes" else empty end),
             (if $s == "login_flood" then "\(n2($r.logins_per_s)) logins/s (\($r.logins) completed)" else empty end),
             (if ($r.status_5xx // 0) > 0 then "**\($r.status_5xx) 5xx**" else empty end),
             (if ($r.socket_errors // 0) > 0 then "\($r.socket_errors) socket errors" else empty end),
             (if ($r.first_error // "") != "" then "first non-2xx: `\($r.first_error | gsub("[`|\n\r]"; " "))`" else empty end)
           ] | join("; ")) as $notes
          | "| \($s) | \(n0($r.rps)) | \(x(ratio($r.rps; $base.rps))) | \(n2($r.p50_ms)) | \(x(ratio($r.p50_ms; $base.p50_ms))) | \(n2($r.p99_ms)) | \(x(ratio($r.p99_ms; $base.p99_ms))) | \($r.non_2xx) | \($notes) |"
        end ),
    "",
    ($rows | map(select(.backend == $b) | .status_5xx // 0) | add // 0) as $fivexx |
    "Whole run on \($b): \($fivexx) answers with a 5xx status; peak resident memory of the gateway (VmHWM) \(n0(info($b).peak_rss_kib / 1024)) MiB; \"database is locked\" in its log: \(info($b).database_locked) lines; ERROR lines: \(info($b).error_log_lines).",
    ""
  ),
  "<!-- SCIM section -->",
  "",
  "## Targets (issue 8)",
  "",
  "| backend | target | measured | verdict |",
  "|---|---|---|---|",
  ($bk[] | .backend as $b | ok($b; "baseline") as $base | info($b) as $i
    | (if $b == "sqlite" then 0.5 else 0.25 end) as $min
    | ( (["kashflow_get", "usr_get", "keaz_get", "v2_get_json"][] as $s
        | ok($b; $s) as $r | ratio($r.rps; $base.rps) as $q
        | "| \($b) | \($s) rps ≥ \(pct($min)) of the baseline | \(pct($q)) | \(verdict(if $q == null then null else $q >= $min end)) |"),
        (ratio(ok($b; "v2_get_xml").rps; ok($b; "v2_get_json").rps) as $q
        | "| \($b) | v2 XML rps ≥ 85% of v2 JSON | \(pct($q)) | \(verdict(if $q == null then null else $q >= 0.85 end)) |"),
        (ratio(ok($b; "v2_search_deep").p50_ms; ok($b; "v2_search_first").p50_ms) as $q
        | "| \($b) | search p50 at 90% depth ≤ 1.5× page 0 | \(x($q)) | \(verdict(if $q == null then null else $q <= 1.5 end)) |"),
        (ok($b; "mixed") as $r
        | "| \($b) | mixed load (\($mixdur)): no 5xx, no \"database is locked\" | \(if $r == null then "–" else "\($r.status_5xx) 5xx, \($i.database_locked) locked (whole run)" end) | \(verdict(if $r == null then null else ($r.status_5xx == 0 and $i.database_locked == 0) end)) |"),
        (ratio(ok($b; "kashflow_get_under_flood").p99_ms; ok($b; "kashflow_get").p99_ms) as $q
        | "| \($b) | GET p99 under the login flood ≤ 2× unloaded | \(x($q)) | \(verdict(if $q == null then null else $q <= 2 end)) |"),
        (ok($b; "login_flood") as $r
        | (($cores | tonumber) / ($i.bcrypt_verify_ms / 1000)) as $ideal
        | ratio($r.logins_per_s; $ideal) as $q
        | "| \($b) | logins/s within 20% of cores ÷ one hash (\(n2($ideal))/s) | \(if $r == null then "–" else "\(n2($r.logins_per_s))/s (\(pct($q)))" end) | \(verdict(if $q == null then null else ($q >= 0.8 and $q <= 1.2) end)) |"),
        ((($i.peak_rss_kib // 0) / 1024) as $mib
        | "| \($b) | peak RSS < 150 MiB | \(n0($mib)) MiB | \(verdict(if $i.peak_rss_kib == null or $i.peak_rss_kib == 0 then null else $mib < 150 end)) |")
      )
  ),
  "",
  "Raw wrk output, the loader'\''s JSON and the gateway logs of this run were kept in a temporary directory on the machine that ran it; `bench/README.md` explains the scenarios and scripts."
] | .[]
' "$RESULTS" >"$WORK/report.md"
splice_scim "$WORK/report.md" >"$OUT"
# What the numbers led to: written by hand, kept beside the harness, carried into every report.
if [ -f "$ROOT/bench/notes.md" ]; then
  { echo; cat "$ROOT/bench/notes.md"; } >>"$OUT"
fi
log "wrote $OUT (raw output in $WORK)"
