-- keaz: GET /keaz/user/{USER_ID}?token=<token> (the token from POST /keaz/login).
-- Env: KEAZ_TOKEN, USER_ID; KEAZ_PREFIX (default /keaz).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = "keaz_get"

wrk.method = "GET"
wrk.path = common.env("KEAZ_PREFIX", "/keaz") .. "/user/" .. common.env("USER_ID")
  .. "?token=" .. common.q(common.env("KEAZ_TOKEN"))
