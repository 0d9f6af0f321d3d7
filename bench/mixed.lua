-- Mixed load through kashflow: 90% GET /kashflow/users/{id} and 10% PUT of the same set of
-- users (a rename: FullName, Username and Email change, so every write is a real update).
-- Ids are drawn uniformly from MIX_ID_MIN..MIX_ID_MAX.
-- Env: KF_TOKEN, MIX_ID_MIN, MIX_ID_MAX; WRITE_PERCENT (default 10); KF_PREFIX.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = "mixed_90r_10w"

local prefix = common.env("KF_PREFIX", "/kashflow")
local token = "KfToken " .. common.env("KF_TOKEN")
local lo = tonumber(common.env("MIX_ID_MIN"))
local hi = tonumber(common.env("MIX_ID_MAX"))
local write_percent = tonumber(common.env("WRITE_PERCENT", "10"))

reads, writes, serial = 0, 0, 0

function init(args)
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
end

local get_headers = { ["Authorization"] = token, ["Accept"] = "application/json" }
local put_headers = {
  ["Authorization"] = token,
  ["Accept"] = "application/json",
  ["Content-Type"] = "application/json",
}

function request()
  local id = math.random(lo, hi)
  local path = prefix .. "/users/" .. id
  if math.random(100) <= write_percent then
    writes = writes + 1
    serial = serial + 1
    local body = string.format(
      '{"Number":%d,"FullName":"Mixed Writer%d","RoleNumber":2,"Username":"mixed%d",'
        .. '"Email":"mixed%d@example.com","UserAccountDisabled":false}',
      id, serial, id, id)
    return wrk.format("PUT", path, put_headers, body)
  end
  reads = reads + 1
  return wrk.format("GET", path, get_headers)
end

common.extra = function(result)
  result.reads = common.sum("reads")
  result.writes = common.sum("writes")
end
