-- kashflow login flood: step 1 (POST /kashflow/sessiontoken, a bcrypt verify) then step 2
-- (PUT with the asked memorable-word letters), over and over, for users read from a file (one
-- username a line). bench/run.sh runs kashflow_get.lua beside it to see what the flood does to
-- GET-by-id. A login counts when step 2 answers a SessionToken.
-- Env: LOGIN_USERS_FILE, PASSWORD, MEMORABLE_WORD; KF_PREFIX (default /kashflow).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")
scenario = "login_flood"

local path = common.env("KF_PREFIX", "/kashflow") .. "/sessiontoken"
local password = common.env("PASSWORD")
local word = common.env("MEMORABLE_WORD")
local users = {}
local pending = {}
logins, started, failed = 0, 0, 0

local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
  local f = assert(io.open(common.env("LOGIN_USERS_FILE"), "r"))
  for line in f:lines() do
    if line ~= "" then table.insert(users, line) end
  end
  f:close()
  assert(#users > 0, "no login users")
end

function request()
  local body = table.remove(pending)
  if body then
    return wrk.format("PUT", path, headers, body)
  end
  started = started + 1
  local user = users[math.random(#users)]
  return wrk.format("POST", path, headers,
    '{"UserName":' .. json_string(user) .. ',"Password":' .. json_string(password) .. '}')
end

function response(status, hdrs, body)
  common.count(status)
  common.note_error(status, body)
  if status ~= 200 or body == nil then
    failed = failed + 1
    return
  end
  local temp = body:match('"TemporaryToken"%s*:%s*"([^"]+)"')
  if temp then
    local answers = {}
    for pos in body:gmatch('"Position"%s*:%s*(%d+)') do
      local p = tonumber(pos)
      table.insert(answers, string.format('{"Position":%d,"Value":"%s"}', p, word:sub(p, p)))
    end
    table.insert(pending, '{"TemporaryToken":"' .. temp .. '","MemorableWordList":['
      .. table.concat(answers, ",") .. ']}')
  elseif body:find('"SessionToken"') then
    logins = logins + 1
  end
end

common.extra = function(result, seconds)
  result.logins = common.sum("logins")
  result.logins_per_s = result.logins / seconds
  result.logins_started = common.sum("started")
  result.failed = common.sum("failed")
end
