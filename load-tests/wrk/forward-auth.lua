-- wrk script for authgate's verify path: what a reverse proxy (Traefik ForwardAuth, Caddy
-- forward_auth) sends for every request it protects. GET <the URL's path> with a session cookie
-- and the forwarded headers, cycling through the session tokens of TOKENS_FILE (one a line), each
-- thread from its own offset.
--
--   wrk -t2 -c64 -d60s --timeout 10s --latency -s load-tests/wrk/forward-auth.lua \
--       http://127.0.0.1:8080/v1/verify/forward-auth -- TOKENS_FILE [check|nocheck [HEADER]]
--
-- The same script, with the same tokens, measures the hello-world baseline (bench.sh points it at
-- http://127.0.0.1:PORT/ with HEADER X-Hello): the requests differ only in their path. They are the
-- requests VerifySimulation and HelloWorldSimulation send (load-tests/src/test/java/.../
-- ForwardedRequests.java), built once in init(), so the client spends its CPU on sending and
-- receiving only:
--
--   GET /v1/verify/forward-auth HTTP/1.1
--   Host: 127.0.0.1:8080
--   Accept: application/json
--   User-Agent: authgate-load-tests
--   Cookie: authgate_session=<token>
--   X-Forwarded-Method: GET
--   X-Forwarded-Proto: https
--   X-Forwarded-Host: app.bench.local
--   X-Forwarded-Uri: /dashboard/reports?page=2
--   X-Forwarded-For: 127.0.0.10
--
-- The gateway believes the forwarded headers from its trusted proxies only (bench.sh starts it with
-- AUTHGATE_HTTP_TRUSTED_PROXIES=127.0.0.1). A request without a valid session gets 401 (Accept is
-- not text/html, so no 302), which wrk counts as a "status" error.
--
-- CHECK (default "nocheck"): "check" defines wrk's response() hook and counts an answer as failed
-- unless it is a 200 carrying HEADER (default Remote-User); that makes wrk parse every answer's
-- headers, a few microseconds of client CPU per request. "nocheck" leaves response() undefined:
-- only wrk's status errors (> 399) and socket errors count, and the gateway's /metrics
-- (authgate_verify_requests_total{result="allowed",credential="session"}) is the cross-check.
--
-- done() prints one line, "WRK-JSON {...}" (the fields of wrk/cached-auth.lua plus "check" and
-- "tokens"), that load-tests/bench_tools.py reads.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

-- Per-thread globals (not locals): done() reads them with thread:get().
non_200 = 0        -- answers other than 200 (check only)
missing_header = 0 -- 200s without HEADER (check only)
checking = 0       -- 1 with "check"
token_count = 0

local requests = {}
local position = 0
local wanted = "remote-user"

function init(args)
  local file, check = args[1], args[2] or "nocheck"
  if file == nil or (check ~= "check" and check ~= "nocheck") then
    error("usage: wrk ... -s forward-auth.lua URL -- TOKENS_FILE [check|nocheck [HEADER]]")
  end
  wanted = string.lower(args[3] or "Remote-User")
  local f = io.open(file, "r")
  if f == nil then
    error("cannot read " .. file)
  end
  local tokens = {}
  for line in f:lines() do
    line = line:gsub("%s+", "")
    if line ~= "" and line:sub(1, 1) ~= "#" then
      if line:find("[^A-Za-z0-9_-]") then
        error("not a session token in " .. file .. ": " .. line)
      end
      table.insert(tokens, line)
    end
  end
  f:close()
  if #tokens == 0 then
    error("no token in " .. file)
  end
  token_count = #tokens
  for i, token in ipairs(tokens) do
    local headers = {
      ["Host"] = wrk.headers["Host"],
      ["Accept"] = "application/json",
      ["User-Agent"] = "authgate-load-tests",
      ["Cookie"] = "authgate_session=" .. token,
      ["X-Forwarded-Method"] = "GET",
      ["X-Forwarded-Proto"] = "https",
      ["X-Forwarded-Host"] = "app.bench.local",
      ["X-Forwarded-Uri"] = "/dashboard/reports?page=2",
      ["X-Forwarded-For"] = "127.0.0.10",
    }
    requests[i - 1] = wrk.format("GET", wrk.path, headers)
  end
  -- spread the threads over the tokens
  position = ((thread_index or 0) * 7919) % token_count
  if check == "check" then
    checking = 1
  else
    response = nil  -- wrk then skips header and body parsing
  end
end

function request()
  local r = requests[position]
  position = (position + 1) % token_count
  return r
end

function response(status, headers, body)
  if status ~= 200 then
    non_200 = non_200 + 1
    return
  end
  for name, _ in pairs(headers) do
    if string.lower(name) == wanted then
      return
    end
  end
  missing_header = missing_header + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  local bad_status, bad_header, checked, tokens = 0, 0, true, 0
  for _, t in ipairs(threads) do
    bad_status = bad_status + (t:get("non_200") or 0)
    bad_header = bad_header + (t:get("missing_header") or 0)
    checked = checked and t:get("checking") == 1
    tokens = t:get("token_count") or tokens
  end
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"bytes":%d,"threads":%d,"tokens":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"check":{"enabled":%s,"non_200":%d,"missing_header":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"stdev":%.1f,' ..
    '"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes, #threads, tokens,
    e.connect, e.read, e.write, e.status, e.timeout,
    tostring(checked), bad_status, bad_header,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency:percentile(99.9)))
end
