-- The baseline: a fixed user-sized JSON answer with no database and no auth
-- (server.bench_baseline). Every ratio in docs/performance.md is to this scenario.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = "baseline"

wrk.method = "GET"
wrk.path = "/bench/baseline"
wrk.headers["Accept"] = "application/json"
