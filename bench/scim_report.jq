# The SCIM section of docs/performance.md: Rosetta on each backend beside scim2-server, each
# figure as a value and as a ratio to the baseline of the same run. Input: the run's result rows
# (jq -s); arguments: see bench/run.sh (report_scim).
def n2(x): if x == null then "–" else ((x * 100 | round) / 100 | tostring) end;
def n0(x): if x == null then "–" else (x | round | tostring) end;
def ratio(a; b): if a == null or b == null or b == 0 then null else a / b end;
def x(r): if r == null then "–" else (n2(r) + "×") end;
def loads(u): if u == null then "–" else (u | sub(".*load average: "; "")) end;
. as $rows
| ($backends[0]) as $bk
| ($reference[0]) as $ref
| (($bk | map(.backend)) + (if $ref == null then [] else ["scim2-server"] end)) as $servers
| def rows($b; $s): $rows | map(select(.backend == $b and .scenario == $s));
  # Of two attempts, the one during which other processes used the least CPU.
  def get($b; $s): (rows($b; $s) | (map(select(.status == "ok")) | min_by(.other_cores // 0)) // last);
  def ok($b; $s): (get($b; $s) | if . != null and .status == "ok" then . else null end);
  def info($b): ($bk | map(select(.backend == $b)) | first);
  def srv_name($b): if $b == "sqlite" then "Rosetta on SQLite" elif $b == "postgres" then "Rosetta on PostgreSQL" else $b end;
  def held($b): if $b == "scim2-server" then "\($ref.loaded) (of the \($ref.exported) of the \($ref.from) run)" else "\(info($b).users) + its administrator" end;
  def cell($b; $s; $f):
    get($b; $s) as $r | ok($b; "baseline") as $base
    | if $r == null then "–"
      elif $r.status != "ok" then "\($r.status): \($r.note)"
      elif $f == "rps" then "\(n0($r.rps)) (\(x(ratio($r.rps; $base.rps))))"
      else "\(n2($r[$f])) (\(x(ratio($r[$f]; $base[$f]))))"
      end;
  def line(title; f): "| \(title) | " + ($servers | map(f) | join(" | ")) + " |";
[
  "## SCIM: Rosetta beside the reference server",
  "",
  "Written by `bench/run.sh\(if $mode == "scim" then " --scim" else "" end)` on \($date) at commit \($commit); the rest of this file is \(if $mode == "scim" then "from the full run its header names, not from this one" else "from the same run" end).",
  "The same two SCIM reads, `GET /Users/{id}` (`scim_get`) and `GET /Users?filter=userName eq \"...\"` (`scim_filter`, the existence check Entra ID and Okta send before every create; a 200 without `totalResults` 1 counts as an error), against Rosetta on SQLite, Rosetta on PostgreSQL, and the reference implementation [scim2-server](https://pypi.org/project/scim2-server/) \($ref.version // "–") (its own application as its `scim2-server` command builds it: RFC 7643 default schemas, its in-memory storage with its equality index, one bearer token, Python's threaded WSGI server; request logging off). All three hold the same users (same ids, userNames, names, emails, externalIds) and are read for the same user, the one in the middle of the id range, with the same wrk settings (\($threads) threads, \($conns) connections, \($dur) a scenario), one server at a time.",
  "",
  "Each figure is the value and, in brackets, its ratio to the baseline of the same run: `GET /bench/baseline` (a fixed user-sized JSON answer with no database and no auth) of the same gateway binary, measured on each backend just before its SCIM scenarios, and for scim2-server just before its scenarios (the gateway then stopped, so the two never shared the cores). rps ratios above 1× are faster than the baseline; latency ratios above 1× are slower.",
  "",
  ("| | " + ($servers | map(srv_name(.)) | join(" | ")) + " |"),
  ("|---|" + ($servers | map("---") | join("|")) + "|"),
  line("users held"; held(.)),
  line("baseline rps"; (ok(.; "baseline").rps | n0(.))),
  line("baseline p50 / p99 ms"; (ok(.; "baseline") as $b | "\(n2($b.p50_ms)) / \(n2($b.p99_ms))")),
  line("scim_get rps (× baseline)"; cell(.; "scim_get"; "rps")),
  line("scim_get p50 ms (× baseline)"; cell(.; "scim_get"; "p50_ms")),
  line("scim_get p99 ms (× baseline)"; cell(.; "scim_get"; "p99_ms")),
  line("scim_filter rps (× baseline)"; cell(.; "scim_filter"; "rps")),
  line("scim_filter p50 ms (× baseline)"; cell(.; "scim_filter"; "p50_ms")),
  line("scim_filter p99 ms (× baseline)"; cell(.; "scim_filter"; "p99_ms")),
  line("non-2xx, scim_get / scim_filter"; (. as $b | "\(ok($b; "scim_get").non_2xx // "–") / \(ok($b; "scim_filter").non_2xx // "–")")),
  line("scim_get rps × scim2-server"; (x(ratio(ok(.; "scim_get").rps; ok("scim2-server"; "scim_get").rps)))),
  line("scim_filter rps × scim2-server"; (x(ratio(ok(.; "scim_filter").rps; ok("scim2-server"; "scim_filter").rps)))),
  line("peak resident memory (VmHWM)"; (if . == "scim2-server" then "\(n0($ref.peak_rss_kib / 1024)) MiB" else "\(n0(info(.).peak_rss_kib / 1024)) MiB" end)),
  "",
  ($bk[] | "Rosetta on \(.backend): \(.users) users bulk-loaded by `rosetta-bench-loader` in \(n2(.timings.load_s)) s (\(n0(.timings.users_per_s)) users/s); its gateway served the logins, probes and scenarios of this run; ERROR lines in its log: \(.error_log_lines), \"database is locked\": \(.database_locked)."),
  "",
  (if $ref == null then "scim2-server was not measured in this run."
   elif $ref.failed != null then "scim2-server: not measured: \($ref.failed) (\($ref.asked) of the \($ref.exported) users of the \($ref.from) run asked)." else
    "scim2-server: \($ref.loaded) users\(if $ref.loaded < $ref.exported then " (the \($ref.loaded) around the read user, lines \($ref.skipped + 1) to \($ref.skipped + $ref.loaded) of the export; \(if ($ref.memory_note // "") != "" then $ref.memory_note else "`BENCH_SCIM_REFERENCE_USERS` asked for fewer than Rosetta holds" end))" else ", all of Rosetta's" end), exported from the \($ref.from) database and validated with its User model and handed to its storage's bulk setter (which stores and indexes each as a POST would, without an HTTP round trip per user) in \(n2($ref.load_s)) s; the storage builds its `userName` equality index on the first such filter, which it was sent in process before serving (\(n2($ref.index_s)) s, answered `\($ref.warm_filter)`; `GET` by id answered `\($ref.warm_get)`), so neither the probe nor the scenario waits for it. It keeps every user as a Python object: \(n0($ref.rss_kib / 1024)) MiB resident once loaded."
  end),
  "",
  "### How busy the machine was",
  "",
  "The machine is shared with other sessions that compile. Before and after each scenario the harness read `uptime` and how many cores other processes kept busy meanwhile (the machine's busy CPU time less that of the server measured, its PostgreSQL backends and wrk). A scenario during which they used more than \($busymax) cores was run once more at the end of that server's scenarios; the tables above keep the attempt with the quieter machine (marked kept).",
  "",
  "| server | scenario | attempt | load average before | load average after | other processes, cores | |",
  "|---|---|---|---|---|---|---|",
  ( $servers[] as $b | ["baseline", "scim_get", "scim_filter", "baseline_end"][] as $s
    | get($b; $s) as $kept
    | rows($b; $s)[] | select(.status == "ok")
    | "| \(srv_name($b)) | \($s) | \(.attempt // 1) | \(loads(.uptime_before)) | \(loads(.uptime_after)) | \(n2(.other_cores)) | \(if . == $kept then "kept" else "" end) |"),
  "",
  "Machine: \($cores) cores (`nproc`), \($cpu), \($mem) RAM, kernel \($kernel); PostgreSQL \($pg) (local cluster, loopback); \($wrk) on the same machine. Reproduce, from the repository root (it builds the release binaries, loads the users into a fresh SQLite file and a fresh PostgreSQL database, exports them for scim2-server, and drops the database and removes the file at the end):",
  "",
  "```sh",
  $cmd,
  "```",
  ""
] | .[]
