-- v2: GET /api/v2/user/search?format=json&CompanyId=..&IntegrationKey=..&Name=..&PageNo=N
-- &PageSize=100. Run once with PAGE_NO=0 and once at 90% depth of the matches.
-- Env: COMPANY_ID, INTEGRATION_KEY, SEARCH_NAME, PAGE_NO (default 0), PAGE_SIZE (default 100);
-- V2_PREFIX (default none).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
local page = common.env("PAGE_NO", "0")
scenario = "v2_search_page_" .. page

wrk.method = "GET"
wrk.path = common.env("V2_PREFIX", "") .. "/api/v2/user/search?format=json"
  .. "&CompanyId=" .. common.q(common.env("COMPANY_ID"))
  .. "&IntegrationKey=" .. common.q(common.env("INTEGRATION_KEY"))
  .. "&Name=" .. common.q(common.env("SEARCH_NAME"))
  .. "&PageNo=" .. common.q(page)
  .. "&PageSize=" .. common.q(common.env("PAGE_SIZE", "100"))

common.extra = function(result)
  result.page_no = tonumber(page)
  result.search_name = common.env("SEARCH_NAME")
end
