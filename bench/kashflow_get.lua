-- kashflow: GET /kashflow/users/{USER_ID} with a session token (Authorization: KfToken).
-- Env: KF_TOKEN, USER_ID; KF_PREFIX (default /kashflow).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = "kashflow_get"

wrk.method = "GET"
wrk.path = common.env("KF_PREFIX", "/kashflow") .. "/users/" .. common.env("USER_ID")
wrk.headers["Authorization"] = "KfToken " .. common.env("KF_TOKEN")
wrk.headers["Accept"] = "application/json"
