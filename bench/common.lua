-- Shared by every scenario script: status counters per thread, and a done() that prints one
-- JSON line (prefixed "BENCH_RESULT ") with rps, p50, p90, p99 and non-2xx counts, which
-- bench/run.sh collects. Scripts set `scenario` and may add `extra(threads, summary)`.
--
-- Each wrk thread runs its own copy of the script; done() runs in the main one and reads the
-- threads' counters through the thread objects kept by setup().

local M = {}

function M.env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then
    if default == nil then
      error("bench: environment variable " .. name .. " is required")
    end
    return default
  end
  return v
end

-- Percent-encodes a query-string value.
function M.q(s)
  return (tostring(s):gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

c2xx, c3xx, c4xx, c5xx = 0, 0, 0, 0

-- Scripts that need the body define their own `response` and call M.count(status) in it.
function M.count(status)
  if status >= 500 then
    c5xx = c5xx + 1
  elseif status >= 400 then
    c4xx = c4xx + 1
  elseif status >= 300 then
    c3xx = c3xx + 1
  else
    c2xx = c2xx + 1
  end
end

-- The first answer of a thread that was not 2xx, for the report's notes.
first_error = ""

function M.note_error(status, body)
  if first_error == "" and (status < 200 or status >= 300) then
    first_error = tostring(status) .. " " .. tostring(body or ""):sub(1, 160)
  end
end

function response(status, headers, body)
  M.count(status)
  M.note_error(status, body)
end

local function sum(name)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (tonumber(t:get(name)) or 0)
  end
  return total
end
M.sum = sum

local function ms(us)
  return math.floor(us / 10 + 0.5) / 100
end

-- A flat JSON object of numbers and strings, keys sorted.
local function encode(obj)
  local keys = {}
  for k in pairs(obj) do table.insert(keys, k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = obj[k]
    local text
    if type(v) == "number" then
      if v ~= v or v == math.huge or v == -math.huge then
        text = "null"
      elseif v == math.floor(v) and math.abs(v) < 1e15 then
        text = string.format("%d", v)
      else
        text = string.format("%.4f", v)
      end
    else
      text = '"' .. tostring(v):gsub('[%c"\\]', function(c)
        return string.format("\\u%04x", string.byte(c))
      end) .. '"'
    end
    table.insert(parts, '"' .. k .. '":' .. text)
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local result = {
    scenario = M.env("BENCH_SCENARIO", scenario or "unnamed"),
    requests = summary.requests,
    duration_s = seconds,
    rps = summary.requests / seconds,
    p50_ms = ms(latency:percentile(50)),
    p90_ms = ms(latency:percentile(90)),
    p99_ms = ms(latency:percentile(99)),
    max_ms = ms(latency.max),
    status_2xx = sum("c2xx"),
    status_3xx = sum("c3xx"),
    status_4xx = sum("c4xx"),
    status_5xx = sum("c5xx"),
    socket_errors = e.connect + e.read + e.write + e.timeout,
    timeouts = e.timeout,
  }
  result.non_2xx = result.status_3xx + result.status_4xx + result.status_5xx
  for _, t in ipairs(threads) do
    local e = t:get("first_error")
    if e and e ~= "" then
      result.first_error = e
      break
    end
  end
  if M.extra then
    M.extra(result, seconds)
  end
  io.write("BENCH_RESULT " .. encode(result) .. "\n")
end

return M
