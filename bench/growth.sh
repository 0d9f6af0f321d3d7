#!/usr/bin/env bash
# How cost grows with the tenant (issue 18): `bench/run.sh` once per size in GROWTH_SIZES, each
# on a freshly loaded database, with only the GET-by-id and search scenarios, then one table per
# backend of p50 (and p99 for the searches) by size, written as the section "How cost grows" of
# GROWTH_OUT (replaced in place when it is there, else appended). What it shows: GET by id and
# the selective search should stay flat, the broad search grow no faster than its matches.
#
# Every figure of a size comes from that size's run, beside its own baseline; the sizes run one
# after the other, so a busy machine shows as a moved baseline (the table gives it).
#
#   bench/growth.sh                                   # 10,000, 100,000 and 1,000,000 users
#   GROWTH_SIZES="10000 50000" GROWTH_DURATION=3s BENCH_BACKENDS=sqlite bench/growth.sh
#
# Settings (environment): GROWTH_SIZES, GROWTH_DURATION (5s: each scenario), GROWTH_OUT
# (docs/performance.md), GROWTH_WORK (a temp dir: each size's run keeps its raw output there);
# every BENCH_* setting of run.sh but BENCH_USERS, BENCH_ONLY, BENCH_OUT and BENCH_WORK passes
# through (BENCH_BACKENDS, BENCH_CONNECTIONS, BENCH_SEARCH_CONNECTIONS, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${GROWTH_SIZES:-10000 100000 1000000}
DURATION=${GROWTH_DURATION:-5s}
OUT=${GROWTH_OUT:-docs/performance.md}
WORK=${GROWTH_WORK:-$(mktemp -d /tmp/rosetta-growth.XXXXXX)}
BACKENDS=${BENCH_BACKENDS:-sqlite postgres}
SCENARIOS="baseline kashflow_get usr_get keaz_get v2_get_json v2_search_selective_first v2_search_selective_deep v2_search_broad_first v2_search_broad_deep"

for n in $SIZES; do
  echo "growth: $n users" >&2
  mkdir -p "$WORK/$n"
  BENCH_USERS=$n BENCH_DURATION=$DURATION BENCH_ONLY="$SCENARIOS" BENCH_SCIM_REFERENCE=0 \
    BENCH_BACKENDS="$BACKENDS" BENCH_WORK="$WORK/$n" BENCH_OUT="$WORK/$n/report.md" bench/run.sh
done

# One JSON object per size: its results (of a scenario run twice because the machine was busy,
# the quieter attempt, as run.sh's own report keeps) and, per backend, how many users the broad term matched.
for n in $SIZES; do
  jq -s --argjson users "$n" --slurpfile backends <(cat "$WORK/$n"/backend-*.json) \
    '{users: $users, results: ., matches: ($backends | map({key: .backend, value: .search.matches}) | from_entries),
      term: ($backends[0].search.name // "")}' \
    "$WORK/$n/results.jsonl"
done | jq -s . >"$WORK/growth.json"

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- crates bench Cargo.toml Cargo.lock 2>/dev/null)" ]; then
  commit+=" (with uncommitted changes)"
fi
command_line="GROWTH_SIZES=\"$SIZES\" GROWTH_DURATION=$DURATION BENCH_BACKENDS=\"$BACKENDS\""
for v in BENCH_CONNECTIONS BENCH_SEARCH_CONNECTIONS BENCH_THREADS BENCH_BCRYPT_COST; do
  [ -n "${!v:-}" ] && command_line+=" $v=${!v}"
done
command_line+=" bench/growth.sh"

jq -r --arg backends "$BACKENDS" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$commit" \
  --arg cmd "$command_line" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" -f /dev/stdin "$WORK/growth.json" \
  >"$WORK/section.md" <<'JQ'
def num: if . == null then "–" elif . >= 100 then (. | round | tostring) else ((. * 100 | round) / 100 | tostring) end;
def cell($r; $base; $kind):
  if $r == null or $r.status != "ok" then "–"
  elif $kind == "get" then "\($r.p50_ms | num) ms, \((($r.rps / $base.rps) * 100) | round)% of baseline rps"
  elif $kind == "search" then "\($r.p50_ms | num) / \($r.p99_ms | num) ms"
  else "\($r.p50_ms | num) ms, \($r.rps | round) rps" end;
. as $sizes
| "## How cost grows",
  "",
  "Written by `bench/growth.sh` on \($date) at commit \($commit): `bench/run.sh` once per size on a freshly loaded database (release gateway, one tenant), only these scenarios. GET by id: p50 and rps as a share of that run's baseline; search: p50 / p99 at `BENCH_SEARCH_CONNECTIONS` (default 1: one request's latency). Load average at the end: \($load).",
  "",
  "```sh",
  $cmd,
  "```",
  "",
  ($backends | split(" ") | map(select(. != ""))[] as $b
   | "### \($b)",
     "",
     "| scenario | " + ($sizes | map("\(.users) users") | join(" | ")) + " |",
     "|---|" + ($sizes | map("---|") | join("")),
     (["baseline", "kashflow_get", "usr_get", "keaz_get", "v2_get_json",
       "v2_search_selective_first", "v2_search_selective_deep",
       "v2_search_broad_first", "v2_search_broad_deep"][] as $s
      | "| \($s) | "
        + ($sizes | map(
            (.results | map(select(.backend == $b)) | group_by(.scenario)
             | map((map(select(.status == "ok")) | if length > 0 then min_by(.other_cores // 0) else null end)
                   // .[0])
             | map({key: .scenario, value: .}) | from_entries) as $r
            | cell($r[$s]; $r["baseline"];
                (if $s == "baseline" then "base" elif ($s | test("search")) then "search" else "get" end)))
           | join(" | "))
        + " |"),
     "| broad term `\($sizes[0].term)`: matches | " + ($sizes | map(.matches[$b] // "–" | tostring) | join(" | ")) + " |",
     "")
JQ

# The section in place of the one there (from its heading to the next "## "), else at the end.
if [ -f "$OUT" ]; then
  awk -v section="$WORK/section.md" '
    function put() { if (!done) { while ((getline l < section) > 0) print l; done = 1 } }
    /^## How cost grows/ { put(); skipping = 1; next }
    skipping && /^## / { skipping = 0 }
    skipping { next }
    { print }
    END { if (!done) { print ""; put() } }
  ' "$OUT" >"$WORK/report.md"
  cp "$WORK/report.md" "$OUT"
else
  cp "$WORK/section.md" "$OUT"
fi
echo "growth: wrote \"How cost grows\" into $OUT (raw output in $WORK)" >&2
