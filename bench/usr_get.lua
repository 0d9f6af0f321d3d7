-- usr: GET /usr/{USER_ID} with Authorization: Bearer <token> (rosetta credential create
-- --dialect usr). Env: USR_TOKEN, USER_ID; USR_PREFIX (default none).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = "usr_get"

wrk.method = "GET"
wrk.path = common.env("USR_PREFIX", "") .. "/usr/" .. common.env("USER_ID")
wrk.headers["Authorization"] = "Bearer " .. common.env("USR_TOKEN")
