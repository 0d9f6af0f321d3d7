-- scim: GET {SCIM_PREFIX}/Users/{USER_UUID} with Authorization: Bearer <token> (rosetta
-- credential create --dialect scim; for the reference server scim2-server, its --bearer-token).
-- Env: SCIM_TOKEN, USER_UUID; SCIM_PREFIX (default /scim/v2; scim2-server serves /v2).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = "scim_get"

wrk.method = "GET"
wrk.path = common.env("SCIM_PREFIX", "/scim/v2") .. "/Users/" .. common.env("USER_UUID")
wrk.headers["Authorization"] = "Bearer " .. common.env("SCIM_TOKEN")
wrk.headers["Accept"] = "application/scim+json"
