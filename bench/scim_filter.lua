-- scim: GET {SCIM_PREFIX}/Users?filter=userName eq "<USER_NAME>" (the existence check Entra ID
-- and Okta make before every create), Authorization: Bearer <token>. A 200 that does not say
-- `totalResults` 1 is counted with the 4xx (a wrong answer), so an empty list cannot pass.
-- Env: SCIM_TOKEN, USER_NAME; SCIM_PREFIX (default /scim/v2; scim2-server serves /v2).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = "scim_filter"

wrk.method = "GET"
wrk.path = common.env("SCIM_PREFIX", "/scim/v2") .. "/Users?filter="
  .. common.q('userName eq "' .. common.env("USER_NAME") .. '"')
wrk.headers["Authorization"] = "Bearer " .. common.env("SCIM_TOKEN")
wrk.headers["Accept"] = "application/scim+json"

function response(status, headers, body)
  if status == 200 and not body:find('"totalResults":%s*1[,}%s]') then
    common.count(400)
    common.note_error(400, "200 without totalResults 1: " .. body)
    return
  end
  common.count(status)
  common.note_error(status, body)
end
