-- v2: GET /api/v2/user?format=json|xml&CompanyId=..&IntegrationKey=..&Id=<uuid>.
-- Env: COMPANY_ID, INTEGRATION_KEY, USER_UUID; V2_FORMAT (json or xml, default json);
-- V2_PREFIX (default none).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
local format = common.env("V2_FORMAT", "json")
scenario = "v2_get_" .. format

wrk.method = "GET"
wrk.path = common.env("V2_PREFIX", "") .. "/api/v2/user?format=" .. common.q(format)
  .. "&CompanyId=" .. common.q(common.env("COMPANY_ID"))
  .. "&IntegrationKey=" .. common.q(common.env("INTEGRATION_KEY"))
  .. "&Id=" .. common.q(common.env("USER_UUID"))
