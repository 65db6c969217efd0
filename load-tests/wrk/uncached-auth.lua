-- wrk script for authgate's uncached (LDAP) path: POST /v1/auth with JSON credentials, every
-- request a user of its own, so every login is a real search-then-bind.
--
--   wrk -t2 -c20 -d60s --timeout 10s --latency -s load-tests/wrk/uncached-auth.lua \
--       http://127.0.0.1:8080/v1/auth -- FIRST COUNT PASSWORD THREADS [CHECK [PREFIX]]
--
-- The users FIRST .. FIRST+COUNT-1 (all with the same password) must not have logged in within the
-- cache's freshness (five minutes by default). THREADS must be wrk's -t: the range is cut into
-- THREADS disjoint sub-ranges of COUNT/THREADS users, and each thread walks its own, one user per
-- request, so no user is ever sent twice. A thread that reaches the end of its sub-range stops (its
-- last request repeats its last user, which the gateway answers from the cache: visible in
-- /metrics) and done() reports it; give it enough users (bench.sh reserves BENCH_UNCACHED_MAX_RPS
-- per second of load). wrk calls request() once before the run to inspect it: that first user of
-- thread 1 is counted as used but never sent.
--
-- CHECK (default "check") defines wrk's response() hook: an answer counts as failed unless it is a
-- 200 whose body says "source":"ldap" (a cache answer means a user was reused). "nocheck" leaves
-- response() undefined, so wrk parses neither headers nor body; then only wrk's own status errors
-- (> 399) and socket errors count, and the gateway's /metrics tell LDAP answers from cache ones.
--
-- done() prints one line, "WRK-JSON {...}" (the fields of wrk/cached-auth.lua plus "check" and
-- "users"), that load-tests/bench_tools.py reads.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

-- Per-thread globals (not locals): done() reads them with thread:get().
used = 0          -- users sent
reserved = 0      -- users of this thread's sub-range
exhausted = 0     -- 1 once the sub-range ran out
non_200 = 0       -- answers other than 200 (CHECK only)
not_ldap = 0      -- 200s whose body lacks "source":"ldap" (CHECK only)
checking = 1      -- 0 with "nocheck"
threads_arg = 0   -- THREADS, to check it against wrk's -t in done()

local head, password, prefix
local next_user, last_user = 0, -1

function init(args)
  local first, count, threads_n = tonumber(args[1]), tonumber(args[2]), tonumber(args[4])
  password = args[3]
  local check = args[5] or "check"
  prefix = args[6] or "user"
  if first == nil or count == nil or password == nil or threads_n == nil or threads_n < 1
      or (check ~= "check" and check ~= "nocheck") then
    error("usage: wrk ... -s uncached-auth.lua URL -- FIRST COUNT PASSWORD THREADS [check|nocheck [PREFIX]]")
  end
  if password:find('["\\]') or prefix:find('["\\]') then
    error("the password and prefix must not contain '\"' or '\\'")
  end
  threads_arg = threads_n
  local index = thread_index or 0
  if index >= threads_n then
    error(string.format("THREADS (%d) must be wrk's -t: this is thread %d", threads_n, index + 1))
  end
  local per = math.floor(count / threads_n)
  if per < 1 then
    error(string.format("COUNT (%d) gives no user to each of %d threads", count, threads_n))
  end
  reserved = per
  next_user = first + index * per
  last_user = next_user + per - 1
  -- The request is assembled by hand (wrk.format() builds a table per call): only the body and its
  -- length change from one request to the next.
  head = "POST " .. wrk.path .. " HTTP/1.1\r\nHost: " .. wrk.headers["Host"] ..
         "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
  if check == "nocheck" then
    response = nil  -- wrk then skips header and body parsing
    checking = 0
  end
end

function request()
  local n = next_user
  if n > last_user then
    -- Out of users: stop this thread rather than reuse one silently. The request returned here is
    -- still written before the loop stops; it repeats the last user.
    if exhausted == 0 then
      exhausted = 1
      wrk.thread:stop()
    end
    n = last_user
  else
    next_user = n + 1
    used = used + 1
  end
  local body = string.format('{"username":"%s%d","password":"%s"}', prefix, n, password)
  return head .. #body .. "\r\n\r\n" .. body
end

function response(status, headers, body)
  if status ~= 200 then
    non_200 = non_200 + 1
  elseif body == nil or not body:find('"source"%s*:%s*"ldap"') then
    not_ldap = not_ldap + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local total_used, total_reserved, exhausted_threads, bad_status, bad_body = 0, 0, 0, 0, 0
  local max_used_pct, checked, warned = 0, true, false
  for _, t in ipairs(threads) do
    local u, r = t:get("used") or 0, t:get("reserved") or 0
    total_used, total_reserved = total_used + u, total_reserved + r
    if r > 0 and 100 * u / r > max_used_pct then max_used_pct = 100 * u / r end
    exhausted_threads = exhausted_threads + (t:get("exhausted") or 0)
    bad_status = bad_status + (t:get("non_200") or 0)
    bad_body = bad_body + (t:get("not_ldap") or 0)
    checked = checked and t:get("checking") == 1
    if t:get("threads_arg") ~= #threads and not warned then
      warned = true
      io.write(string.format("WRK-WARNING THREADS is %d but wrk ran %d threads: part of the range went unused\n",
                             t:get("threads_arg"), #threads))
    end
  end
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"bytes":%d,"threads":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"check":{"enabled":%s,"non_200":%d,"not_ldap":%d},' ..
    '"users":{"used":%d,"reserved":%d,"max_thread_used_pct":%.1f,"exhausted_threads":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"stdev":%.1f,' ..
    '"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes, #threads,
    e.connect, e.read, e.write, e.status, e.timeout,
    tostring(checked), bad_status, bad_body,
    total_used, total_reserved, max_used_pct, exhausted_threads,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency:percentile(99.9)))
end
