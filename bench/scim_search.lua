-- scim: GET {SCIM_PREFIX}/Users?filter=<SCIM_FILTER>&count=<SCIM_COUNT>&startIndex=<SCIM_START>
-- (a substring search, `co`/`sw` on names and userName, served by the store's trigram
-- indexes), Authorization: Bearer <token>. A 200 that says `totalResults` 0 is counted with the
-- 4xx (a wrong answer: every benchmark filter matches loaded users).
-- Env: SCIM_TOKEN, SCIM_FILTER; SCIM_COUNT (default 100), SCIM_START (default 1);
-- SCIM_PREFIX (default /scim/v2).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = common.env("BENCH_SCENARIO", "scim_search")
local start = common.env("SCIM_START", "1")

wrk.method = "GET"
wrk.path = common.env("SCIM_PREFIX", "/scim/v2") .. "/Users?filter="
  .. common.q(common.env("SCIM_FILTER"))
  .. "&count=" .. common.q(common.env("SCIM_COUNT", "100"))
  .. "&startIndex=" .. common.q(start)
wrk.headers["Authorization"] = "Bearer " .. common.env("SCIM_TOKEN")
wrk.headers["Accept"] = "application/scim+json"

function response(status, headers, body)
  if status == 200 and body:find('"totalResults":%s*0[,}%s]') then
    common.count(400)
    common.note_error(400, "200 with totalResults 0: " .. body)
    return
  end
  common.count(status)
  common.note_error(status, body)
end

common.extra = function(result)
  result.filter = common.env("SCIM_FILTER")
  result.start_index = tonumber(start)
end
