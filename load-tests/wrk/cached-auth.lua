-- wrk script for authgate's cached path: POST /v1/auth with JSON credentials, cycling through the
-- users FIRST .. FIRST+COUNT-1 (all with the same password), each thread from its own offset.
--
--   wrk -t2 -c64 -d60s --timeout 10s -s load-tests/wrk/cached-auth.lua http://127.0.0.1:8080/v1/auth \
--       -- FIRST COUNT PASSWORD [PREFIX]
--
-- The users must have logged in once already (bench.sh pre-warms them), so every answer comes from
-- the credential cache. The requests are built once, in init(), so the client spends its CPU on
-- sending and receiving only. wrk counts answers other than 2xx/3xx as "status" errors; the gateway's
-- /metrics (logins by source) tells cache answers from LDAP ones. done() prints one line,
-- "WRK-JSON {...}", that load-tests/bench_tools.py reads: requests, errors by kind, duration and
-- latency percentiles in microseconds.

local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local requests = {}
local count = 0
local position = 0

function init(args)
  local first = tonumber(args[1])
  count = tonumber(args[2])
  local password = args[3]
  local prefix = args[4] or "user"
  if first == nil or count == nil or count < 1 or password == nil then
    error("usage: wrk ... -s cached-auth.lua URL -- FIRST COUNT PASSWORD [PREFIX]")
  end
  if password:find('["\\]') then
    error("the password must not contain '\"' or '\\'")
  end
  local headers = { ["Host"] = wrk.headers["Host"], ["Content-Type"] = "application/json",
                    ["Accept"] = "application/json" }
  for i = 0, count - 1 do
    local body = string.format('{"username":"%s%d","password":"%s"}', prefix, first + i, password)
    requests[i] = wrk.format("POST", wrk.path, headers, body)
  end
  -- spread the threads over the users
  position = ((thread_index or 0) * 7919) % count
end

function request()
  local r = requests[position]
  position = (position + 1) % count
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"stdev":%.1f,' ..
    '"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency:percentile(99.9)))
end
