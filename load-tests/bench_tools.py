#!/usr/bin/env python3
"""Helpers for load-tests/bench.sh: directory data, free ports, metrics, CPU, pre-warm, the summary.

Standard library only. Subcommands:
  free-port                      print a free TCP port on 127.0.0.1
  ssha PASSWORD                  print a salted SHA-1 ({SSHA}) hash
  ldif OUT USERS PASSWORD SVC_PW write the directory: base, ou=people, ou=services, the service
                                 account and USERS users uid=userN,ou=people,dc=bench,dc=local
  scrape URL OUT                 save the authgate_* lines of a Prometheus /metrics page
  cpu-sampler OUT INTERVAL MAX   every INTERVAL seconds, append to OUT (JSON lines) the CPU time
                                 each process group used since the last sample, and the machine's
                                 busy and total CPU time; stops on SIGTERM or after MAX seconds
  prewarm URL FIRST COUNT PASSWORD BODY OUT
                                 log users FIRST..FIRST+COUNT-1 in once each (POST /v1/auth, BODY
                                 json, form or basic); write counts to OUT (JSON); exit 1 on failures
  sessions URL FIRST COUNT PASSWORD VERIFY_PATH TOKENS OUT
                                 open one session for each of users FIRST..FIRST+COUNT-1 (POST
                                 /v1/auth, JSON, "session": true), write the tokens to TOKENS (one a
                                 line, mode 0600), then send each one verify (GET VERIFY_PATH with the
                                 cookie and forwarded headers: 200 and Remote-User expected); write
                                 counts and one answer's headers (token-free) to OUT (JSON); exit 1
                                 on failures
  jit-seconds PGID               print the CPU seconds the JIT compiler threads of the java processes
                                 of process group PGID have used so far
  authrate CSV                   print the overall authrate figures of a --csv run as JSON
  gatling LOG                    print the global figures of a Gatling console log as JSON
  wrk LOG                        print the figures of a wrk run (load-tests/wrk/*.lua) as JSON
  wrk-check LOG MAX_ERROR_PCT    print a wrk phase's verdict; exit 1 when it failed (too many
                                 failed answers, no WRK-JSON line, or a thread ran out of users)
  summary RUN_DIR                print the summary of a run and write summary.md/json; exit 3 when
                                 goals are enforced (run.json) and one is not met
"""
import base64
import glob
import hashlib
import json
import os
import re
import signal
import socket
import statistics
import sys
import time
import urllib.parse
import urllib.request

BASE_DN = "dc=bench,dc=local"
PEOPLE_DN = "ou=people," + BASE_DN
SERVICE_DN = "cn=authgate,ou=services," + BASE_DN


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ssha(password):
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode("utf-8") + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode("ascii")


def write_ldif(out, users, password, service_password):
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"dn: {BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: bench\no: authgate bench\n\n")
        f.write(f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n\n")
        f.write(f"dn: ou=services,{BASE_DN}\nobjectClass: organizationalUnit\nou: services\n\n")
        f.write(f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
                f"cn: authgate\nuserPassword: {ssha(service_password)}\n\n")
        pw = password.encode("utf-8")
        chunk = []
        for n in range(1, users + 1):
            salt = os.urandom(8)
            hashed = base64.b64encode(hashlib.sha1(pw + salt).digest() + salt).decode("ascii")
            chunk.append(f"dn: uid=user{n},{PEOPLE_DN}\nobjectClass: inetOrgPerson\nuid: user{n}\n"
                         f"cn: Bench User {n}\nsn: User{n}\ndisplayName: Bench User {n}\n"
                         f"mail: user{n}@bench.local\nuserPassword: {{SSHA}}{hashed}\n\n")
            if len(chunk) == 5000:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))


STORE_POOL = 'pool_name="authgate-store"'


def scrape(url, out):
    """Keeps authgate's own samples, and Vert.x's meters of the store's connection pool (how long
    requests waited for a PostgreSQL connection)."""
    with urllib.request.urlopen(url, timeout=10) as r:
        text = r.read().decode("utf-8", "replace")
    with open(out, "w", encoding="utf-8") as f:
        for line in text.splitlines():
            if line.startswith("authgate_") or (line.startswith("vertx_pool_") and STORE_POOL in line):
                f.write(line + "\n")


def read_metrics(path):
    """The samples of a scrape file (authgate_*, the store pool's vertx_pool_*) as {(name, labels): value}."""
    values = {}
    if not os.path.exists(path):
        return values
    pattern = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pattern.match(line)
            if m:
                try:
                    values[(m.group(1), m.group(2) or "")] = float(m.group(3))
                except ValueError:
                    pass
    return values


def labels(text):
    return dict(re.findall(r'(\w+)="([^"]*)"', text))


def metrics_delta(before, after):
    """What the server counted between two scrapes: logins by result/source, cache, LDAP ops."""
    b, a = read_metrics(before), read_metrics(after)
    out = {"auth": {}, "cache": {}, "ldap": {}, "unavailable": {}, "rejections": {}, "verify": {}, "saml": {}}
    count = a.get(("authgate_auth_duration_seconds_count", ""), 0.0) - b.get(("authgate_auth_duration_seconds_count", ""), 0.0)
    total = a.get(("authgate_auth_duration_seconds_sum", ""), 0.0) - b.get(("authgate_auth_duration_seconds_sum", ""), 0.0)
    out["server_mean_ms"] = 1000.0 * total / count if count > 0 else None
    out["scraped"] = bool(a) and bool(b)
    out["sessions_active"] = a.get(("authgate_sessions_active", ""))
    store = {"vertx_pool_queue_time_seconds_count": 0.0, "vertx_pool_queue_time_seconds_sum": 0.0}
    for (name, lab), value in a.items():
        delta = value - b.get((name, lab), 0.0)
        if delta <= 0:
            continue
        l = labels(lab)
        if name == "authgate_auth_requests_total":
            key = f"{l.get('result', '?')}/{l.get('source', '?')}"
            out["auth"][key] = out["auth"].get(key, 0) + int(delta)
        elif name == "authgate_cache_requests_total":
            key = f"{l.get('tier', '?')}/{l.get('result', '?')}"
            out["cache"][key] = out["cache"].get(key, 0) + int(delta)
        elif name == "authgate_ldap_operations_total":
            key = f"{l.get('operation', '?')}/{l.get('result', '?')}"
            out["ldap"][key] = out["ldap"].get(key, 0) + int(delta)
        elif name == "authgate_directory_unavailable_total":
            key = l.get("cause", "?")
            out["unavailable"][key] = out["unavailable"].get(key, 0) + int(delta)
        elif name == "authgate_auth_rejections_total":
            key = l.get("reason", "?")
            out["rejections"][key] = out["rejections"].get(key, 0) + int(delta)
        elif name == "authgate_verify_requests_total":
            key = f"{l.get('result', '?')}/{l.get('credential', '?')}"
            out["verify"][key] = out["verify"].get(key, 0) + int(delta)
        elif name == "authgate_saml_responses_total":
            key = f"{l.get('result', '?')}/{l.get('reason', '?')}"
            out["saml"][key] = out["saml"].get(key, 0) + int(delta)
        elif name in store and STORE_POOL in lab:
            store[name] = delta
    # Connections taken from the store's pool, and their mean wait, between the two scrapes.
    taken = store["vertx_pool_queue_time_seconds_count"]
    out["store_acquired"] = int(taken) if a else None
    out["store_wait_ms"] = 1000.0 * store["vertx_pool_queue_time_seconds_sum"] / taken if taken > 0 else None
    return out


def authrate(csv_path):
    """Overall figures of an authrate --csv run: the last line's overall columns.

    authrate prints, per interval: timestamp, recent auths/s, recent avg duration ms, recent
    errors/s, then overall (since warm-up ended) auths/s and avg duration ms.
    """
    header, last, intervals, errors = None, None, 0, 0.0
    with open(csv_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            cells = [c.strip().strip('"') for c in line.split(",")]
            if header is None and any("Auths/Sec" in c or "Auths/s" in c for c in cells):
                header = cells
                continue
            if header and len(cells) == len(header):
                try:
                    [float(c) for c in cells[1:]]
                except ValueError:
                    continue  # warm-up intervals: "warming up" in the overall columns
                last = cells
                intervals += 1
                for k, v in zip(header, cells):
                    if "recent" in k.lower() and "error" in k.lower():
                        errors += float(v)  # one-second intervals (-i 1): errors/s = errors
    if not header or not last:
        return {"error": "no authrate data in " + csv_path}
    row = dict(zip(header, last))
    result = {"intervals": intervals, "columns": header}
    for k, v in row.items():
        lk = k.lower()
        if "overall" in lk and "auths/sec" in lk:
            result["overall_auths_per_sec"] = float(v)
        elif "overall" in lk and "dur" in lk:
            result["overall_avg_ms"] = float(v)
        elif "recent" in lk and "error" in lk:
            result["last_interval_errors_per_sec"] = float(v)
    result["errors"] = errors
    rate = result.get("overall_auths_per_sec")
    if rate is not None:
        auths = rate * intervals
        result["auths"] = auths
        result["error_pct"] = 100.0 * errors / (auths + errors) if auths + errors > 0 else 0.0
    return result


def gatling(log_path):
    """Global figures of one Gatling run, from the console summary in its log.

    Gatling 3.15 writes a binary simulation.log and embeds its statistics in the HTML report, so
    the figures come from the "Global Information" block the run prints at the end, and the
    assertion results from the lines that follow it.
    """
    if not os.path.exists(log_path):
        return {"error": "no log " + log_path}
    with open(log_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    start = text.rfind("---- Global Information")
    if start < 0:
        if "feeder is now empty" in text.lower() or "responses of" in text and "have been used" in text:
            what = "SAML responses (raise BENCH_SAML_MAX_RPS)" if "SamlAcsSimulation" in text else \
                "users (raise BENCH_UNCACHED_MAX_RPS, or -Dusers)"
            return {"error": "ran out of " + what + " and Gatling stopped", "feeder_exhausted": True}
        return {"error": "no Global Information block in " + log_path}
    end = text.find("---- Response Time Distribution", start)
    block = text[start:end if end > 0 else len(text)]
    rows = {}
    for line in block.splitlines():
        m = re.match(r"^> (.+?)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*$", line)
        if m:
            rows[m.group(1).strip()] = [None if v == "-" else float(v.replace(",", "")) for v in m.groups()[1:]]

    def cell(name, column):
        for key, values in rows.items():
            if key.startswith(name):
                return values[column]
        return None

    out = {
        "requests": cell("request count", 0),
        "ok": cell("request count", 1) or 0.0,
        "ko": cell("request count", 2) or 0.0,
        "rps": cell("mean throughput", 0),
        "ok_rps": cell("mean throughput", 1) or 0.0,
        "min_ms": cell("min response time", 0),
        "mean_ms": cell("mean response time", 0),
        "max_ms": cell("max response time", 0),
        "p50_ms": cell("response time 50th percentile", 0),
        "p75_ms": cell("response time 75th percentile", 0),
        "p95_ms": cell("response time 95th percentile", 0),
        "p99_ms": cell("response time 99th percentile", 0),
    }
    if out["requests"]:
        out["ko_pct"] = 100.0 * out["ko"] / out["requests"]
    # The assertion line carries the mean rate with a decimal: prefer it to the rounded table cell.
    m = re.search(r"Global: mean requests per second .*?\(actual : ([0-9.]+)\)", text[start:])
    if m:
        out["rps"] = float(m.group(1))
        if out["requests"]:
            out["ok_rps"] = out["rps"] * out["ok"] / out["requests"]
    out["gatling_rps"] = out["rps"]
    out["assertions"] = re.findall(r"^(Global: .*? : (?:true|false).*)$", text[start:], re.M)
    out["assertions_failed"] = [a for a in out["assertions"] if " : false" in a]
    window = {}
    for edge, millis in re.findall(r"^BENCH-WINDOW (start|end) (\d+)\s*$", text, re.M):
        window[edge] = int(millis) / 1000.0
    if "start" in window and "end" in window:
        out["window"] = [window["start"], window["end"]]
        # Gatling's own mean divides by the whole run, silent warm-up included: the achieved rate
        # is the requests over the measured window instead (first measured request to the end).
        seconds = window["end"] - window["start"]
        if seconds > 0 and out["requests"]:
            out["rps"] = out["requests"] / seconds
            out["ok_rps"] = out["ok"] / seconds
    m = re.search(r"^BENCH-USERS used (\d+) of (\d+)", text, re.M)
    if m:
        out["users_used"], out["users_reserved"] = int(m.group(1)), int(m.group(2))
    m = re.search(r"^BENCH-RESPONSES used (\d+)", text, re.M)
    if m:
        out["responses_used"] = int(m.group(1))
    out["feeder_exhausted"] = ("feeder is now empty" in text.lower() or "BENCH-WARNING all" in text
                               or "BENCH-WARNING every response" in text)
    errors = re.search(r"---- Errors -+\n(.*?)\n=+", text[start:], re.S)
    if errors:
        out["errors"] = [" ".join(l.split()) for l in errors.group(1).splitlines() if l.startswith(">")][:10]
    return out



def gatling_timeline(report_root):
    """OK responses per second of a Gatling run, from the "Number of responses" chart of its HTML
    report (the newest report under report_root): [(epoch seconds, count), ...], or []."""
    reports = sorted(glob.glob(os.path.join(report_root, "*", "index.html")), key=os.path.getmtime)
    if not reports:
        return []
    with open(reports[-1], encoding="utf-8", errors="replace") as f:
        html = f.read()
    at = html.find("text: 'Number of responses'")
    if at < 0:
        return []
    m = re.search(r"name: 'OK',\s*data: \[(.*?)\]\s*,\s*tooltip", html[at:], re.S)
    if not m:
        return []
    return [(int(t) / 1000.0, int(c)) for t, c in re.findall(r"\[(\d+),\s*(\d+)\]", m.group(1))]


def steady_rate(timeline, skip):
    """Mean OK responses per second over whole seconds, leaving out the seconds before the first
    response (a silent warm-up), then the first `skip` seconds (warm-up, as authrate leaves out its
    warm-up intervals; at least the first, partial second) and the last, partial second. Falls
    back to fewer skipped seconds on a short run."""
    counts = [c for _, c in timeline]
    while counts and counts[0] == 0:
        counts.pop(0)
    if len(counts) < 3:
        return None, 0
    skip = max(1, min(skip, len(counts) - 2))
    window = counts[skip:-1]
    return sum(window) / len(window), len(window)


# ---- CPU accounting ---------------------------------------------------------------------------------
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_times():
    """{pid: (pgid, utime + stime in ticks, command name)} of every process, threads included."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                raw = f.read().decode("ascii", "replace")
        except OSError:
            continue
        rest = raw[raw.rfind(")") + 2:].split()
        comm = raw[raw.find("(") + 1:raw.rfind(")")]
        try:
            out[int(entry)] = (int(rest[2]), int(rest[11]) + int(rest[12]), comm)
        except (IndexError, ValueError):
            continue
    return out


def _jit_times(procs):
    """{pid: ticks} of the JIT compiler threads (HotSpot's "C1/C2 CompilerThre...") of each java process."""
    out = {}
    for pid, (_, _, comm) in procs.items():
        if comm != "java":
            continue
        ticks = 0
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/stat", "rb") as f:
                    raw = f.read().decode("ascii", "replace")
                if raw[raw.find("(") + 1:raw.rfind(")")].startswith(("C1 CompilerThre", "C2 CompilerThre")):
                    rest = raw[raw.rfind(")") + 2:].split()
                    ticks += int(rest[11]) + int(rest[12])
        except (OSError, IndexError, ValueError):
            continue
        out[pid] = ticks
    return out


def _machine_times():
    """(busy, total) ticks of all CPUs, from the first line of /proc/stat."""
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already inside user
    return total - idle, total


def cpu_sampler(out, interval, max_seconds):
    """Appends one JSON line per interval: CPU seconds used per process group since the last line,
    and ("jit") the part of it each group's JVMs spent compiling (HotSpot's compiler threads).

    A process seen for the first time counts from its start when it started after the previous
    sample (its start-up is part of the window), else from this sample on. A process that exits
    loses at most its last interval.
    """
    stop = {"now": False}

    def on_term(signum, frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    deadline = time.time() + max_seconds
    prev = _proc_times()
    prev_jit = _jit_times(prev)
    prev_busy, prev_total = _machine_times()
    prev_t = time.time()
    with open(out, "a", encoding="utf-8") as f:
        while not stop["now"] and time.time() < deadline:
            time.sleep(interval)
            now = time.time()
            cur = _proc_times()
            cur_jit = _jit_times(cur)
            busy, total = _machine_times()
            groups = {}
            jit = {}
            for pid, ticks in cur_jit.items():
                delta = ticks - prev_jit[pid] if pid in prev_jit else (ticks if _started_after(pid, prev_t) else 0)
                if delta > 0:
                    jit[cur[pid][0]] = jit.get(cur[pid][0], 0) + delta
            for pid, (pgid, ticks, comm) in cur.items():
                if pid in prev:
                    delta = ticks - prev[pid][1]
                else:
                    delta = ticks if _started_after(pid, prev_t) else 0
                if delta > 0:
                    groups[pgid] = groups.get(pgid, 0) + delta
                    if comm == "postgres":  # each PostgreSQL backend is a session of its own: count them by name
                        groups["postgres"] = groups.get("postgres", 0) + delta
            f.write(json.dumps({
                "t": round(now, 3), "dt": round(now - prev_t, 3),
                "cpu": {str(k): round(v / CLK_TCK, 3) for k, v in groups.items()},
                "jit": {str(k): round(v / CLK_TCK, 3) for k, v in jit.items()},
                "busy": round((busy - prev_busy) / CLK_TCK, 3), "total": round((total - prev_total) / CLK_TCK, 3),
            }) + "\n")
            f.flush()
            prev, prev_jit, prev_busy, prev_total, prev_t = cur, cur_jit, busy, total, now


_BOOT_TIME = None


def _started_after(pid, when):
    global _BOOT_TIME
    try:
        if _BOOT_TIME is None:
            with open("/proc/stat", encoding="ascii") as f:
                _BOOT_TIME = next(int(l.split()[1]) for l in f if l.startswith("btime"))
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode("ascii", "replace")
        start_ticks = int(raw[raw.rfind(")") + 2:].split()[19])
        return _BOOT_TIME + start_ticks / CLK_TCK >= when - 0.05
    except (OSError, ValueError, IndexError, StopIteration):
        return False


def cpu_window(samples, start, end, groups, key="cpu"):
    """Average cores used in [start, end] by each named group of process-group ids, plus "other"
    (the machine's busy time not in any group) and "idle". groups: {name: [pgid, ...]}. With
    key="jit", the cores the groups' JVMs spent compiling instead (no "other" or "idle")."""
    if not samples or end <= start:
        return None
    used = {name: 0.0 for name in groups}
    busy = total = 0.0
    for s in samples:
        lo, hi = s["t"] - s["dt"], s["t"]
        overlap = min(hi, end) - max(lo, start)
        if overlap <= 0 or s["dt"] <= 0:
            continue
        share = overlap / s["dt"]
        for name, pgids in groups.items():
            used[name] += share * sum(s.get(key, {}).get(str(p), 0.0) for p in pgids if p)
        busy += share * s["busy"]
        total += share * s["total"]
    seconds = end - start
    cores = {name: v / seconds for name, v in used.items()}
    if key != "cpu":
        return cores
    cores["other"] = max(0.0, busy / seconds - sum(cores.values()))
    cores["idle"] = max(0.0, (total - busy) / seconds)
    return cores


def read_samples(path):
    samples = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    samples.append(json.loads(line))
                except ValueError:
                    pass
    return samples


# ---- cache pre-warm ---------------------------------------------------------------------------------
def prewarm(url, first, count, password, body, out):
    """One login per user over one keep-alive connection; counts answers by status and source."""
    import http.client
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=15)
    result = {"users": count, "ok": 0, "failed": 0, "sources": {}, "failures": []}
    started = time.time()
    for n in range(first, first + count):
        username = f"user{n}"
        headers = {"Accept": "application/json"}
        if body == "form":
            payload = urllib.parse.urlencode({"username": username, "password": password})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body == "basic":
            payload = ""
            headers["Authorization"] = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        else:
            payload = json.dumps({"username": username, "password": password})
            headers["Content-Type"] = "application/json"
        try:
            conn.request("POST", "/v1/auth", body=payload, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=15)
            status, text = None, str(e)
        source = None
        try:
            answer = json.loads(text)
            source = answer.get("source")
            authenticated = answer.get("authenticated") is True
        except (ValueError, AttributeError):
            authenticated = False
        if status == 200 and authenticated:
            result["ok"] += 1
            result["sources"][source or "?"] = result["sources"].get(source or "?", 0) + 1
        else:
            result["failed"] += 1
            if len(result["failures"]) < 5:
                result["failures"].append(f"{username}: {status} {text[:200]}")
    conn.close()
    result["seconds"] = round(time.time() - started, 3)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    print(f"pre-warm: {result['ok']} of {count} users logged in (sources {result['sources']}) in {result['seconds']} s")
    for failure in result["failures"]:
        print("  failed: " + failure)
    return 0 if result["failed"] == 0 else 1


# ---- sessions for the verify phases --------------------------------------------------------------------
# The forwarded headers a reverse proxy adds, as load-tests/wrk/forward-auth.lua and the Gatling
# simulations (ForwardedRequests.java) send them.
FORWARDED_HEADERS = {
    "Accept": "application/json",
    "User-Agent": "authgate-load-tests",
    "X-Forwarded-Method": "GET",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "app.bench.local",
    "X-Forwarded-Uri": "/dashboard/reports?page=2",
    "X-Forwarded-For": "127.0.0.10",
}


def sessions(url, first, count, password, verify_path, tokens_out, out):
    """Opens one session per user (a login with "session": true), then sends each token one verify
    request; writes the tokens (mode 0600) and the counts. The verifies prove the wiring (sessions,
    trusted proxy, identity headers) before any load, outside every measurement."""
    import http.client
    parsed = urllib.parse.urlsplit(url)

    def connect():
        return http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=15)

    conn = connect()
    result = {"users": count, "ok": 0, "failed": 0, "sources": {}, "failures": [],
              "verify": {"ok": 0, "failed": 0, "statuses": {}}}
    tokens = []
    started = time.time()
    for n in range(first, first + count):
        username = f"user{n}"
        payload = json.dumps({"username": username, "password": password, "session": True})
        try:
            conn.request("POST", "/v1/auth", body=payload,
                         headers={"Accept": "application/json", "Content-Type": "application/json"})
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status, cookie = response.status, response.getheader("Set-Cookie") or ""
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = connect()
            status, text, cookie = None, str(e), ""
        token = None
        try:
            answer = json.loads(text)
            token = (answer.get("session") or {}).get("token")
            source = answer.get("source")
        except (ValueError, AttributeError):
            source = None
        if status == 200 and token and re.fullmatch(r"[A-Za-z0-9_-]+", token) and f"={token}" in cookie:
            tokens.append(token)
            result["ok"] += 1
            result["sources"][source or "?"] = result["sources"].get(source or "?", 0) + 1
        else:
            result["failed"] += 1
            if len(result["failures"]) < 5:
                why = "no session token" if status == 200 and not token else \
                    ("no matching Set-Cookie" if status == 200 else text[:200])
                result["failures"].append(f"{username}: {status} {why}")
    fd = os.open(tokens_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write("".join(t + "\n" for t in tokens))
    result["tokens"] = len(tokens)
    verify = result["verify"]
    for i, token in enumerate(tokens):
        headers = dict(FORWARDED_HEADERS)
        headers["Cookie"] = "authgate_session=" + token
        try:
            conn.request("GET", verify_path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            names = {k.lower(): v for k, v in response.getheaders()}
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = connect()
            status, names = None, {}
            result["failures"].append(f"verify: {e}")
        verify["statuses"][str(status)] = verify["statuses"].get(str(status), 0) + 1
        if status == 200 and names.get("remote-user"):
            verify["ok"] += 1
        else:
            verify["failed"] += 1
        if i == 0:
            # One answer as the proxy sees it, the token left out: what a verify 200 weighs.
            verify["example"] = {"status": status, "headers": response.getheaders() if status else []}
    # Without a session: an API client gets 401; a browser a 302 to the login page whose return URL
    # is the forwarded one, which shows the gateway believed the forwarded headers (trusted proxy).
    for accept, key in (("application/json", "no_session_api"), ("text/html", "no_session_browser")):
        headers = dict(FORWARDED_HEADERS)
        headers["Accept"] = accept
        try:
            conn.request("GET", verify_path, headers=headers)
            response = conn.getresponse()
            response.read()
            verify[key] = {"status": response.status, "location": response.getheader("Location")}
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = connect()
            verify[key] = {"status": None, "error": str(e)}
    location = urllib.parse.unquote(verify["no_session_browser"].get("location") or "")
    verify["forwarded_trusted"] = FORWARDED_HEADERS["X-Forwarded-Host"] in location
    conn.close()
    result["seconds"] = round(time.time() - started, 3)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    print(f"sessions: {len(tokens)} of {count} logins opened a session (sources {result['sources']}); "
          f"verify once each: {verify['ok']} OK, {verify['failed']} failed {verify['statuses']} "
          f"in {result['seconds']} s")
    example = verify.get("example")
    if example and example["status"]:
        print("  a verify answer: " + str(example["status"]) + ", " + "; ".join(f"{k}: {v}" for k, v in example["headers"]))
    print(f"  without a session: API client {verify['no_session_api'].get('status')}, browser "
          f"{verify['no_session_browser'].get('status')} to {verify['no_session_browser'].get('location')}"
          f" (forwarded headers {'believed' if verify['forwarded_trusted'] else 'NOT believed: is 127.0.0.1 a trusted proxy?'})")
    for failure in result["failures"]:
        print("  failed: " + failure)
    # wrk without its check counts only statuses above 399 as failures: a request without a valid
    # session must get one (401), and the forwarded headers must count, or the phases measure
    # something else than a proxy's verify.
    if verify["no_session_api"].get("status") != 401:
        print("  failed: without a session an API client should get 401 (wrk counts only statuses > 399 as failures)")
    if not verify["forwarded_trusted"]:
        print("  failed: the gateway did not believe the forwarded headers from 127.0.0.1")
    ok = (result["failed"] == 0 and verify["failed"] == 0 and tokens and verify["forwarded_trusted"]
          and verify["no_session_api"].get("status") == 401)
    return 0 if ok else 1


# ---- wrk ----------------------------------------------------------------------------------------------
def wrk(log_path):
    """Figures of a wrk run, from the WRK-JSON line the load-tests/wrk scripts print in done().

    Failed answers: wrk's status errors (> 399) or, when the script checked every answer in its
    response() hook (uncached-auth.lua: "check"), those that were not a 200 saying
    "source":"ldap". Socket errors (connect, read, write, time-out) count as failures too.
    """
    if not os.path.exists(log_path):
        return {"error": "no log " + log_path}
    with open(log_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    m = re.search(r"^WRK-JSON (\{.*\})\s*$", text, re.M)
    if not m:
        return {"error": "no WRK-JSON line in " + log_path}
    raw = json.loads(m.group(1))
    seconds = raw["duration_us"] / 1e6
    errors = raw["errors"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    requests = raw["requests"]
    check = raw.get("check") or {}
    if check.get("enabled"):
        failed = check.get("non_200", 0) + check.get("not_ldap", 0) + check.get("missing_header", 0)
    else:
        failed = errors["status"]
    ok = max(0, requests - failed)
    ko = failed + socket_errors
    lat = raw["latency_us"]
    out = {
        "requests": requests, "ko": ko, "ok": ok,
        "ko_pct": 100.0 * ko / (requests + socket_errors) if requests + socket_errors else None,
        "rps": requests / seconds if seconds else None,
        "ok_rps": ok / seconds if seconds else None,
        "seconds": seconds, "errors_by_kind": errors,
        "min_ms": lat["min"] / 1000.0, "mean_ms": lat["mean"] / 1000.0, "max_ms": lat["max"] / 1000.0,
        "p50_ms": lat["p50"] / 1000.0, "p75_ms": lat["p75"] / 1000.0, "p90_ms": lat["p90"] / 1000.0,
        "p95_ms": lat["p95"] / 1000.0, "p99_ms": lat["p99"] / 1000.0, "p999_ms": lat["p999"] / 1000.0,
        "connections": raw.get("connections"), "threads": raw.get("threads"),
        "checked": bool(check.get("enabled")),
        "bytes_per_answer": raw["bytes"] / requests if requests else None,
    }
    if raw.get("tokens") is not None:
        out["tokens"] = raw["tokens"]
    if check.get("enabled"):
        out["check"] = check
    users = raw.get("users")
    if users:
        out["users_used"], out["users_reserved"] = users.get("used"), users.get("reserved")
        out["users_max_thread_pct"] = users.get("max_thread_used_pct")
        out["feeder_exhausted"] = bool(users.get("exhausted_threads"))
    out["warnings"] = re.findall(r"^WRK-WARNING (.*)$", text, re.M)
    return out


def wrk_check(log_path, max_error_pct):
    """The verdict of a wrk phase: (passed, one line)."""
    r = wrk(log_path)
    if r.get("error"):
        return False, "FAILED: " + r["error"]
    if not r["checked"]:
        what = "status and socket errors"
    elif "missing_header" in (r.get("check") or {}):
        what = "answers checked: 200 and the expected header"
    else:
        what = "answers checked: 200 and source ldap"
    line = f"{fmt(r['requests'])} answers, {fmt(r['ok_rps'], 1)} OK req/s, {fmt(r['ko_pct'], 2)}% failed ({what})"
    if r.get("users_reserved"):
        line += f"; users: {r['users_used']:,} of {r['users_reserved']:,} (busiest thread {r['users_max_thread_pct']:.0f}%)"
    if r.get("feeder_exhausted"):
        return False, "FAILED: a wrk thread ran out of users (raise BENCH_UNCACHED_MAX_RPS); " + line
    if (r["ko_pct"] or 0.0) >= max_error_pct:
        return False, f"FAILED: {fmt(r['ko_pct'], 2)}% failed answers (limit {max_error_pct:g}%); " + line
    if r.get("users_max_thread_pct") and r["users_max_thread_pct"] > 80:
        line += "; WARNING: over 80% of the users used, raise BENCH_UNCACHED_MAX_RPS before they run out"
    return True, "passed: " + line


# ---- summary -------------------------------------------------------------------------------------------
def fmt(value, digits=0):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def ms(value):
    """Milliseconds: whole for Gatling's integer figures, two decimals below 10 ms otherwise."""
    if value is None:
        return "n/a"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


# CPU outside the benchmark's processes ("other": other processes, and loopback networking the
# kernel charges to none) above which the summary flags an authrate or uncached wrk phase: it is
# 0.03-0.06 cores in those phases; an authrate round at 0.21 once ran at two thirds of its
# neighbours' rate.
OTHER_CORES_FLAG = 0.10


def outside_cores(phase):
    """The phase's "other" cores when it is an authrate or uncached wrk phase of 10 s or more with
    more than OTHER_CORES_FLAG of them, else None."""
    cpu, window = phase.get("cpu"), phase.get("window")
    if not cpu or not window or window[1] - window[0] < 10:
        return None
    if not phase["name"].startswith(("authrate", "uncached-wrk")):
        return None
    return cpu["other"] if cpu["other"] > OTHER_CORES_FLAG else None


PHASE_FIELDS = ("name", "tool", "label", "load", "exit", "start", "end", "pgid", "load_avg_before")


def read_phases(run_dir):
    phases = []
    path = os.path.join(run_dir, "phases.tsv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                cells = line.rstrip("\n").split("\t")
                if len(cells) != len(PHASE_FIELDS):
                    continue
                p = dict(zip(PHASE_FIELDS, cells))
                p["exit"] = int(p["exit"])
                p["start"], p["end"] = float(p["start"]), float(p["end"])
                p["pgid"] = int(p["pgid"]) if p["pgid"].isdigit() else 0
                phases.append(p)
    return phases


def goal(ok, enforced):
    if ok is None:
        return "not measured"
    if ok:
        return "met"
    return "NOT met" if enforced else "not met (not enforced)"


def summary(run_dir):
    with open(os.path.join(run_dir, "run.json"), encoding="utf-8") as f:
        run = json.load(f)
    enforce = bool(run.get("enforce_goals"))
    samples = read_samples(os.path.join(run_dir, "cpu.jsonl"))
    pg = run.get("pgids", {})
    phases = read_phases(run_dir)
    saml_run = any(p["name"].startswith("saml") for p in phases)  # PostgreSQL gets a CPU column
    by_name = {}
    for p in phases:
        tool = p["tool"]
        if tool == "authrate":
            r = authrate(os.path.join(run_dir, f"{p['name']}.csv"))
            p["result"] = {"rps": r.get("overall_auths_per_sec"), "ok_rps": r.get("overall_auths_per_sec"),
                           "ko_pct": r.get("error_pct"), "mean_ms": r.get("overall_avg_ms"),
                           "requests": r.get("auths"), "error": r.get("error")}
            # authrate measures its last BENCH_AUTHRATE_DURATION seconds (after the warm-up)
            window = [max(p["start"], p["end"] - float(run.get("authrate_duration", 0))), p["end"]]
        elif tool == "gatling":
            p["result"] = gatling(os.path.join(run_dir, f"gatling-{p['name']}.log"))
            window = p["result"].get("window") or [p["start"], p["end"]]
            timeline = gatling_timeline(os.path.join(run_dir, "gatling", p["name"]))
            p["result"]["timeline"] = timeline
            if p["load"].startswith("closed"):  # a capacity phase: its rate is the measurement
                skip = 1 if run.get("gatling_warmup") else int(run.get("authrate_warmup", 5))
                steady, seconds = steady_rate(timeline, skip)
                p["result"]["steady_ok_rps"], p["result"]["steady_seconds"] = steady, seconds
        elif tool == "wrk":
            p["result"] = wrk(os.path.join(run_dir, f"wrk-{p['name']}.log"))
            window = [p["start"], p["end"]]
        else:  # prewarm, sessions
            path = os.path.join(run_dir, f"{tool}.json")
            p["result"] = json.load(open(path, encoding="utf-8")) if os.path.exists(path) else {"error": f"no {tool}.json"}
            window = [p["start"], p["end"]]
        p["window"] = window
        # A phase shorter than a few samples (the pre-warm) cannot be accounted: a process that
        # starts and ends between two samples is never seen.
        too_short = window[1] - window[0] < 4 * float(run.get("cpu_interval", 0.5))
        cpu_groups = {"authgate": [pg.get("authgate")], "slapd": [pg.get("slapd")], "redis": [pg.get("redis")],
                      "load generator": [p["pgid"]]}
        if pg.get("hello"):
            cpu_groups["hello world"] = [pg.get("hello")]
        if pg.get("postgres") and saml_run:
            cpu_groups["postgres"] = [pg.get("postgres")]
        p["cpu"] = None if too_short else cpu_window(samples, window[0], window[1], cpu_groups)
        # The part of the gateway's CPU its JIT compiler took: well above zero, the phase measured a
        # gateway still warming up.
        p["jit"] = None if too_short else cpu_window(samples, window[0], window[1], {"authgate": [pg.get("authgate")]}, "jit")
        # Gatling phases save /metrics as their first measured request goes out (after the silent
        # warm-up); the other phases use bench.sh's scrape before the phase.
        start_file = os.path.join(run_dir, f"metrics-start-{p['name']}.txt")
        if not (os.path.exists(start_file) and os.path.getsize(start_file) > 0):
            start_file = os.path.join(run_dir, f"metrics-before-{p['name']}.txt")
        p["server"] = metrics_delta(start_file, os.path.join(run_dir, f"metrics-after-{p['name']}.txt"))
        p["server"]["from"] = os.path.basename(start_file)
        by_name[p["name"]] = p

    def res(name):
        return (by_name.get(name) or {}).get("result") or {}

    def round_flag(a_name, w_name):
        cores = [(label, outside_cores(by_name.get(n, {}))) for label, n in (("authrate", a_name), ("wrk", w_name))]
        flags = [f"{label} {c:.2f} cores" for label, c in cores if c is not None]
        return f" [outside the benchmark: {', '.join(flags)}]" if flags else ""

    def passed(name):
        return name in by_name and by_name[name]["exit"] == 0 and not res(name).get("error")

    def capacity(r):
        """The capacity figure of a closed-model phase: Gatling's steady OK rate (whole seconds after
        the warm-up) when known, else its mean over the whole run (wrk: its mean)."""
        return r.get("steady_ok_rps") if r.get("steady_ok_rps") is not None else r.get("ok_rps")

    def wrk_passed(name):
        """A wrk phase's own check: wrk exited 0, failed answers under the ceiling, users left."""
        r = res(name)
        return (name in by_name and by_name[name]["exit"] == 0 and not r.get("error")
                and (r.get("ko_pct") or 0.0) < run["max_error_pct"] and not r.get("feeder_exhausted"))

    def wrk_ok(r, name):
        """A wrk phase without users to run out of: exited 0, failed answers under the ceiling."""
        return (name in by_name and by_name[name]["exit"] == 0 and not r.get("error")
                and (r.get("ko_pct") or 0.0) < run["max_error_pct"])

    ar_rps = res("authrate").get("ok_rps")
    uc, uw = res("uncached-capacity"), res("uncached-wrk")
    unc_cap = capacity(uc)
    ratio = 100.0 * unc_cap / ar_rps if ar_rps and unc_cap is not None else None
    ratio_whole = 100.0 * uc["ok_rps"] / ar_rps if ar_rps and uc.get("ok_rps") is not None else None
    # wrk's share per round: round 1 is the usual pair, BENCH_ROUNDS adds pairs 2..R
    rounds = [("authrate", "uncached-wrk")] + [(f"authrate-r{i}", f"uncached-wrk-r{i}")
                                               for i in range(2, int(run.get("rounds", 1)) + 1)]
    round_shares = []
    for a_name, w_name in rounds:
        a_rps, w_rps = res(a_name).get("ok_rps"), res(w_name).get("ok_rps")
        round_shares.append(100.0 * w_rps / a_rps if a_rps and w_rps is not None else None)
    ratio_wrk = round_shares[0]
    goal_ratio = run["goal_uncached_ratio_pct"]
    # Without Redis (BENCH_REDIS=0) the gateway is measured as one gateway runs: say so where it is judged.
    no_redis = "" if run.get("redis", True) else ", no Redis"

    def uncached_goal(load):  # the label of the uncached goal, once per load generator
        return f"uncached capacity >= {goal_ratio:g}% of authrate ({run['authrate_threads']} threads) ({load}{no_redis})"

    goals = []
    g1g = None if ratio is None else ratio >= goal_ratio and passed("uncached-capacity")
    goals.append((uncached_goal(f"Gatling, {run['uncached_concurrency']} users"),
                  f"steady {fmt(unc_cap, 1)} / {fmt(ar_rps, 1)} = {fmt(ratio, 1)}% (whole run: {fmt(ratio_whole, 1)}%)", g1g))
    ratio_wrk_median = None
    if len(rounds) == 1:
        g1w = None if ratio_wrk is None else ratio_wrk >= goal_ratio and wrk_passed("uncached-wrk")
        wrk_text = f"{fmt(uw.get('ok_rps'), 1)} / {fmt(ar_rps, 1)} = {fmt(ratio_wrk, 1)}%, {fmt(uw.get('ko_pct'), 2)}% errors"
    else:  # judged on the median share
        measured = [x for x in round_shares if x is not None]
        complete = len(measured) == len(rounds)
        ratio_wrk_median = statistics.median(measured) if complete else None
        g1w = None if ratio_wrk_median is None else (ratio_wrk_median >= goal_ratio
                                                      and all(wrk_passed(w) for _, w in rounds))
        wrk_text = (f"median of {len(rounds)} rounds {fmt(ratio_wrk_median, 1)}% (rounds: "
                    + ", ".join(f"{fmt(res(w).get('ok_rps'), 1)} / {fmt(res(a).get('ok_rps'), 1)} = {fmt(x, 1)}%"
                                f"{round_flag(a, w)}" for (a, w), x in zip(rounds, round_shares))
                    + f"; errors at most {fmt(max((res(w).get('ko_pct') or 0.0) for _, w in rounds), 2)}%)")
    goals.append((uncached_goal(f"wrk, {run['uncached_concurrency']} connections"),
                  wrk_text, g1w))
    ur = res("uncached-rate")
    g2 = None if "uncached-rate" not in by_name else (passed("uncached-rate") and not ur.get("assertions_failed"))
    goals.append((f"uncached at {run['uncached_rate']:g}/s offered: >= {run['min_rps']:g} req/s, < {run['max_error_pct']:g}% errors",
                  f"{fmt(ur.get('rps'), 1)} req/s, {fmt(ur.get('ko_pct'), 2)}% errors", g2))
    cg, cw = res("cached-capacity"), res("cached-wrk")
    target = run["goal_cached_rps"]

    def cap_ok(r, name, floor=None):
        if name not in by_name or capacity(r) is None:
            return None
        return capacity(r) >= (target if floor is None else floor) and (r.get("ko_pct") or 0.0) < run["max_error_pct"] and by_name[name]["exit"] == 0

    g3g, g3w = cap_ok(cg, "cached-capacity"), cap_ok(cw, "cached-wrk")
    goals.append((f"cached capacity >= {target:,.0f} req/s (Gatling, {run['cached_concurrency']} users)",
                  f"steady {fmt(capacity(cg), 1)} req/s OK (whole run {fmt(cg.get('ok_rps'), 1)}), {fmt(cg.get('ko_pct'), 2)}% errors", g3g))
    goals.append((f"cached capacity >= {target:,.0f} req/s (wrk, {run['cached_concurrency']} connections)",
                  f"{fmt(cw.get('ok_rps'), 1)} req/s OK, {fmt(cw.get('ko_pct'), 2)}% errors", g3w))
    cr = res("cached-rate")
    g4 = None
    if "cached-rate" in by_name and cr.get("p99_ms") is not None:
        g4 = cr["p99_ms"] < run["goal_cached_p99_ms"] and passed("cached-rate")
    goals.append((f"cached p99 < {run['goal_cached_p99_ms']:g} ms at {run['cached_rate']:g}/s offered (Gatling)",
                  f"p99 {ms(cr.get('p99_ms'))} ms, {fmt(cr.get('rps'), 1)} req/s, {fmt(cr.get('ko_pct'), 2)}% errors", g4))
    # Verify: its own rate (either tool, as the cached goal), and its rate against the bare Vert.x
    # hello world's, each tool against itself in the same run (either tool; both printed).
    vg, vw, hg, hw = res("verify-capacity"), res("verify-wrk"), res("hello-capacity"), res("hello-wrk")
    vtarget = run.get("goal_verify_rps", 25000)
    g6g, g6w = cap_ok(vg, "verify-capacity", vtarget), cap_ok(vw, "verify-wrk", vtarget)
    goals.append((f"verify capacity >= {vtarget:,.0f} req/s (Gatling, {run.get('verify_concurrency')} users)",
                  f"steady {fmt(capacity(vg), 1)} req/s OK (whole run {fmt(vg.get('ok_rps'), 1)}), {fmt(vg.get('ko_pct'), 2)}% errors", g6g))
    goals.append((f"verify capacity >= {vtarget:,.0f} req/s (wrk, {run.get('verify_concurrency')} connections)",
                  f"{fmt(vw.get('ok_rps'), 1)} req/s OK, {fmt(vw.get('ko_pct'), 2)}% errors", g6w))
    hello_pct = run.get("goal_verify_hello_pct", 60)

    def hello_ratio(v, h, vname, hname):
        if vname not in by_name or hname not in by_name or capacity(v) is None or not capacity(h):
            return None
        return 100.0 * capacity(v) / capacity(h)

    ratio_vh_g = hello_ratio(vg, hg, "verify-capacity", "hello-capacity")
    ratio_vh_w = hello_ratio(vw, hw, "verify-wrk", "hello-wrk")
    g7g = None if ratio_vh_g is None else (ratio_vh_g >= hello_pct and passed("verify-capacity") and passed("hello-capacity"))
    g7w = None if ratio_vh_w is None else (ratio_vh_w >= hello_pct and wrk_ok(vw, "verify-wrk") and wrk_ok(hw, "hello-wrk"))
    goals.append((f"verify >= {hello_pct:g}% of the bare Vert.x hello world (Gatling, {run.get('verify_concurrency')} users each)",
                  f"steady {fmt(capacity(vg), 1)} / {fmt(capacity(hg), 1)} = {fmt(ratio_vh_g, 1)}%", g7g))
    goals.append((f"verify >= {hello_pct:g}% of the bare Vert.x hello world (wrk, {run.get('verify_concurrency')} connections each)",
                  f"{fmt(vw.get('ok_rps'), 1)} / {fmt(hw.get('ok_rps'), 1)} = {fmt(ratio_vh_w, 1)}%", g7w))
    # SAML ACS: validated assertions a second in the closed model (Gatling's steady OK rate; every OK
    # is a 303 after a validated, first-use assertion), and the constant-rate phase kept up.
    sg, sr = res("saml-capacity"), res("saml-rate")
    starget = run.get("goal_saml_rps", 1500)
    g8 = cap_ok(sg, "saml-capacity", starget)
    accepted = (by_name.get("saml-capacity") or {}).get("server", {}).get("saml", {}).get("accepted/none")
    goals.append((f"SAML ACS >= {starget:,.0f} validated assertions/s (Gatling, {run.get('saml_concurrency')} users)",
                  f"steady {fmt(capacity(sg), 1)} sign-ins/s OK (whole run {fmt(sg.get('ok_rps'), 1)}; server accepted"
                  f" {fmt(accepted)}), {fmt(sg.get('ko_pct'), 2)}% errors", g8))
    g9 = None if "saml-rate" not in by_name else (passed("saml-rate") and not sr.get("assertions_failed"))
    goals.append((f"SAML ACS at {run.get('saml_rate', 0):g}/s offered: kept up (>= 99%), < {run['max_error_pct']:g}% errors",
                  f"{fmt(sr.get('ok_rps'), 1)} OK/s, p99 {ms(sr.get('p99_ms'))} ms, {fmt(sr.get('ko_pct'), 2)}% errors", g9))
    floors = [(n, passed(n)) for n in ("uncached-capacity", "cached-capacity", "verify-capacity", "hello-capacity",
                                       "saml-capacity")
              if n in by_name]
    g5 = None if not floors else all(ok for _, ok in floors)
    floor_text = f">= {run['min_rps']:g} req/s" if any(n != "saml-capacity" for n, _ in floors) else ""
    if "saml-capacity" in by_name:
        floor_text += ("; " if floor_text else "") + f"SAML >= {run.get('saml_min_rps', 0):g}/s"
    goals.append((f"capacity runs: Gatling assertions ({floor_text or 'n/a'}, < {run['max_error_pct']:g}% errors)",
                  ", ".join(f"{n} {'passed' if ok else 'FAILED'}" for n, ok in floors) or "n/a", g5))
    # The capacity goals (uncached ratio, cached req/s) are met when either tool shows them: both
    # measure the same server, wrk with a lighter client.
    g1 = None if g1g is None and g1w is None else bool(g1g) or bool(g1w)
    g3 = None if g3g is None and g3w is None else bool(g3g) or bool(g3w)
    g6 = None if g6g is None and g6w is None else bool(g6g) or bool(g6w)
    g7 = None if g7g is None and g7w is None else bool(g7g) or bool(g7w)
    verdicts = [g1, g2, g3, g4, g5, g6, g7, g8, g9]

    lines = []
    lines.append(f"authgate benchmark {run.get('id', '')} ({'SMOKE: checks the wiring, its figures are not a benchmark' if run.get('smoke') else 'full run'})")
    lines.append(f"  {run.get('users'):,} directory users, {run.get('cpus')} CPUs, {run.get('duration')} s per phase, "
                 f"body {run.get('body')}, groups strategy {run.get('groups_strategy')}, authgate JVM {run.get('java_opts')}, "
                 f"slapd threads {run.get('slapd_threads') or 'default (16)'}, "
                 f"{'cache and regulation shared in Redis' if run.get('redis', True) else 'no Redis: cache and regulation in process'}")
    env_path = os.path.join(run_dir, "environment.txt")
    if os.path.exists(env_path):
        with open(env_path, encoding="utf-8", errors="replace") as f:
            lines.append("  " + "; ".join(l.strip() for l in f if l.strip()))
    lines.append("")
    lines.append("| # | phase | tool | load | achieved req/s | OK req/s | steady OK req/s | requests | errors % | p50 ms | p95 ms | p99 ms | max ms | checks |")
    lines.append("|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for i, p in enumerate(phases, 1):
        r = p["result"]
        if p["tool"] in ("prewarm", "sessions"):
            check = "passed" if p["exit"] == 0 else "FAILED"
            if p["tool"] == "sessions" and r.get("verify"):
                check += f" (each session verified once: {fmt(r['verify'].get('ok'))} OK)"
            failed_pct = 100.0 * r["failed"] / r["users"] if r.get("users") and "failed" in r else None
            lines.append(f"| {i} | {p['label']} | {p['tool']} | {p['load']} | | | | {fmt(r.get('users'))} | "
                         f"{fmt(failed_pct, 2)} | | | | | {check} |")
            continue
        if p["tool"] == "authrate":
            p50 = p95 = p99 = mx = "n/a"
            p50 = f"mean {ms(r.get('mean_ms'))}"
        else:
            p50, p95, p99, mx = ms(r.get("p50_ms")), ms(r.get("p95_ms")), ms(r.get("p99_ms")), ms(r.get("max_ms"))
        if r.get("error"):
            check = "FAILED: " + r["error"]
        elif p["tool"] == "gatling":
            check = ("passed" if p["exit"] == 0 else f"FAILED (exit {p['exit']})") if r.get("assertions") else \
                ("no assertions" if p["exit"] == 0 else f"FAILED (exit {p['exit']})")
            if r.get("feeder_exhausted"):
                check += "; RAN OUT OF USERS"
        elif p["tool"] == "wrk":
            ok = p["exit"] == 0 and (r.get("ko_pct") or 0) < run["max_error_pct"] and not r.get("feeder_exhausted")
            check = "passed (< {:g}% errors)".format(run["max_error_pct"]) if ok else f"FAILED (exit {p['exit']}, {fmt(r.get('ko_pct'), 2)}% errors)"
            if r.get("checked") and "missing_header" in (r.get("check") or {}):
                check += ", each answer checked: 200 and its header"
            elif r.get("checked"):
                check += ", each answer checked: 200, source ldap"
            if r.get("feeder_exhausted"):
                check += "; RAN OUT OF USERS"
        else:
            check = "passed" if p["exit"] == 0 else f"FAILED (exit {p['exit']})"
        steady = fmt(r.get("steady_ok_rps"), 1) if p["tool"] == "gatling" and p["load"].startswith("closed") else ""
        lines.append(f"| {i} | {p['label']} | {p['tool']} | {p['load']} | {fmt(r.get('rps'), 1)} | {fmt(r.get('ok_rps'), 1)} "
                     f"| {steady} | {fmt(r.get('requests'))} | {fmt(r.get('ko_pct'), 2)} | {p50} | {p95} | {p99} | {mx} | {check} |")
    lines.append("")
    steady_skip = 1 if run.get("gatling_warmup") else run.get("authrate_warmup")
    lines.append(f"achieved/OK req/s: Gatling: requests over the measured window (first measured request to the end),"
                 f" after {run.get('gatling_warmup')} s of silent warm-up"
                 + "".join(f" ({run[key]} s before the SAML {label} phase)"
                           for key, name, label in (("saml_warmup", "saml-capacity", "capacity"),
                                                    ("saml_rate_warmup", "saml-rate", "constant-rate"))
                           if run.get(key) and any(p["name"] == name for p in phases))
                 + f"; authrate: after its {run.get('authrate_warmup')} s"
                 f" warm-up; wrk: its own mean over its {run.get('wrk_duration')} s"
                 f" (uncached: after {run.get('wrk_warmup', 0)} s of wrk on other users, not measured)."
                 + (f" Before the first uncached phase the gateway warmed up for {run.get('warmup_seconds')} s (Gatling)"
                    + (f" and {run['warmup_jit_seconds']} s of wrk until its JIT compiler used"
                       f" {run.get('warmup_jit_cores')} cores (quiet below {run.get('warmup_jit_quiet')})"
                       if run.get("warmup_jit_seconds") else "") + "."
                    if run.get("warmup_seconds") or run.get("warmup_jit_seconds") else "")
                 + f" steady (capacity phases): Gatling's OK responses per whole second,"
                 f" leaving out the first {steady_skip} s and the last, partial second. Gatling records whole milliseconds,"
                 " wrk microseconds.")
    lines.append("")
    lines.append("Goals" + ("" if enforce else " (not enforced in this run: figures only)") + ":")
    lines.append("")
    lines.append("| goal | measured | verdict |")
    lines.append("|---|---|---|")
    for (text, measured, ok) in goals:
        lines.append(f"| {text} | {measured} | {goal(ok, enforce)} |")
    lines.append("")
    lines.append("Server side, from /metrics at the start of each phase's measured load (Gatling: as its first measured")
    lines.append("request goes out, after the silent warm-up) and after it: logins by source, LDAP operations, cache")
    lines.append("lookups; 'server mean' is the gateway's own mean time per login:")
    lines.append("")
    # Phases measured by two tools share a label: the tables below name the tool.
    label_counts = {}
    for p in phases:
        label_counts[p["label"]] = label_counts.get(p["label"], 0) + 1
    tool_names = {"gatling": "Gatling", "wrk": "wrk"}

    def shown(p):
        if label_counts.get(p["label"], 0) > 1:
            return f"{p['label']} ({tool_names.get(p['tool'], p['tool'])})"
        return p["label"]

    lines.append("| phase | logins ldap | logins cache | failed logins | ldap binds | ldap searches | group searches | cache hits L1 | cache hits L2 | cache misses L1/L2 | server mean ms | other |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|")
    for p in phases:
        s = p["server"]
        if p["tool"] == "authrate" or not s.get("scraped") or p["name"].startswith(("verify", "hello", "saml")):
            continue
        auth, ldap, cache = s["auth"], s["ldap"], s["cache"]
        ldap_logins = sum(v for k, v in auth.items() if k.endswith("/ldap") and k.startswith("success"))
        cache_logins = sum(v for k, v in auth.items() if k.endswith("/cache") and k.startswith("success"))
        failed = sum(v for k, v in auth.items() if not k.startswith("success"))
        other = []
        if s["unavailable"]:
            other.append(f"directory unavailable {s['unavailable']}")
        if s["rejections"]:
            other.append(f"rejections {s['rejections']}")
        bad_ldap = {k: v for k, v in ldap.items() if not k.endswith("/success")}
        if bad_ldap:
            other.append(f"ldap {bad_ldap}")
        if p["name"].startswith("cached") and ldap_logins:
            other.append("LDAP logins during a cached phase: entries expired or were evicted")
        if p["name"].startswith("uncached") and cache_logins:
            other.append("cache answers during an uncached phase: users reused")
        if p["tool"] == "wrk" and p["name"].startswith("uncached") and p["result"].get("requests") is not None:
            # wrk counts the answers it read; the server also counts the requests still in flight
            # when wrk stopped (at most one per connection), and those of the warm-up's last moment.
            answers, slack = p["result"]["requests"], 2 * int(run.get("uncached_concurrency") or 0)
            binds = ldap.get("bind/success", 0)
            if not (answers <= ldap_logins <= answers + slack and answers <= binds <= answers + slack):
                other.append(f"server counted {fmt(ldap_logins)} LDAP logins and {fmt(binds)} binds for {fmt(answers)} wrk answers")
        p["server"]["ldap_logins"], p["server"]["cache_logins"] = ldap_logins, cache_logins
        lines.append(f"| {shown(p)} | {fmt(ldap_logins)} | {fmt(cache_logins)} | {fmt(failed)} | {fmt(ldap.get('bind/success', 0))} "
                     f"| {fmt(ldap.get('search/success', 0))} | {fmt(ldap.get('groups/success', 0))} | {fmt(cache.get('l1/hit', 0))} "
                     f"| {fmt(cache.get('l2/hit', 0))} | {fmt(cache.get('l1/miss', 0))}/{fmt(cache.get('l2/miss', 0))} "
                     f"| {ms(round(s['server_mean_ms'], 3)) if s.get('server_mean_ms') is not None else 'n/a'} | {'; '.join(other)} |")
    verify_phases = [p for p in phases if p["name"].startswith("verify") and p["server"].get("scraped")]
    if verify_phases:
        lines.append("")
        lines.append("Verify phases, from authgate_verify_requests_total over the same windows: the tool's OK answers")
        lines.append("against the verifies the gateway allowed on a session cookie, anything else it answered, and what")
        lines.append("else it did meanwhile (logins, LDAP, cache) that a verify should not cause:")
        lines.append("")
        lines.append("| phase | tool OK answers | verify allowed (session) | other verify results | logins | ldap operations | cache lookups | sessions active | other |")
        lines.append("|---|---:|---:|---|---:|---:|---:|---:|---|")
        for p in verify_phases:
            s, r = p["server"], p["result"]
            allowed = s["verify"].get("allowed/session", 0)
            others = {k: v for k, v in s["verify"].items() if k != "allowed/session"}
            logins = sum(s["auth"].values())
            ldap_ops = sum(s["ldap"].values())
            lookups = sum(s["cache"].values())
            other = []
            answers = r.get("ok")
            if answers is not None:
                slack = 2 * int(run.get("verify_concurrency") or 0)
                if p["tool"] == "wrk":
                    # scraped just before wrk started and after it stopped: the server counts wrk's
                    # answers plus at most the requests in flight when it stopped
                    if not (answers <= allowed <= answers + slack):
                        other.append(f"server allowed {fmt(allowed)} verifies for {fmt(answers)} wrk OK answers")
                elif abs(allowed - answers) > slack + 0.01 * answers:
                    # Gatling's start scrape goes out with its first measured request: a few
                    # requests either way are expected
                    other.append(f"server allowed {fmt(allowed)} verifies for {fmt(answers)} Gatling OK answers")
            if others:
                other.append(f"verify results other than allowed/session: {others}")
            if logins or ldap_ops:
                other.append("logins or LDAP operations during a verify phase")
            if s["unavailable"]:
                other.append(f"directory unavailable {s['unavailable']}")
            lines.append(f"| {shown(p)} | {fmt(answers)} | {fmt(allowed)} | {', '.join(f'{k} {fmt(v)}' for k, v in others.items()) or 'none'} "
                         f"| {fmt(logins)} | {fmt(ldap_ops)} | {fmt(lookups)} | {fmt(s.get('sessions_active'))} | {'; '.join(other)} |")
    saml_phases = [p for p in phases if p["name"].startswith("saml") and p["server"].get("scraped")]
    if saml_phases:
        lines.append("")
        lines.append("SAML phases, from authgate_saml_responses_total over the same windows (Gatling's start scrape goes")
        lines.append("out with its first measured request): the tool's OK answers (303) against the responses the gateway")
        lines.append("accepted (validated, first use, account found or provisioned, session opened) and refused, by reason:")
        lines.append("")
        lines.append("| phase | tool OK answers | accepted | rejected (reason: count) | logins | ldap operations | sessions active "
                     "| store connections taken | mean wait for one, ms | other |")
        lines.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---|")
        for p in saml_phases:
            s, r = p["server"], p["result"]
            accepted = s["saml"].get("accepted/none", 0)
            rejected = {k.split("/", 1)[1]: v for k, v in s["saml"].items() if k.startswith("rejected/")}
            other = []
            answers = r.get("ok")
            slack = 2 * int(run.get("saml_concurrency") or 0)
            if answers is not None and abs(accepted - answers) > slack + 0.01 * answers:
                other.append(f"server accepted {fmt(accepted)} responses for {fmt(answers)} Gatling OK answers")
            if rejected:
                other.append("refusals: see authgate.log (the reason of each)")
            lines.append(f"| {shown(p)} | {fmt(answers)} | {fmt(accepted)} | {', '.join(f'{k}: {fmt(v)}' for k, v in rejected.items()) or 'none'} "
                         f"| {fmt(sum(s['auth'].values()))} | {fmt(sum(s['ldap'].values()))} | {fmt(s.get('sessions_active'))} "
                         f"| {fmt(s.get('store_acquired'))} | {fmt(s.get('store_wait_ms'), 2)} | {'; '.join(other)} |")
    lines.append("")
    lines.append(f"CPU during each phase's measured window, in cores (of {run.get('cpus')}), from /proc every "
                 f"{run.get('cpu_interval')} s; 'load generator' is authrate, Gatling (its JVM and Maven) or wrk; "
                 f"'of which JIT' is the part of authgate's that its JIT compiler threads took (near 0 once warm):")
    lines.append("")
    hello_col = bool(pg.get("hello"))
    pg_col = bool(pg.get("postgres")) and saml_run
    lines.append("| phase | seconds | authgate | of which JIT | slapd | redis |" + (" hello world |" if hello_col else "")
                 + (" postgres |" if pg_col else "") + " load generator | other | idle | load avg before |")
    lines.append("|---|---:|---:|---:|---:|---:|" + ("---:|" if hello_col else "") + ("---:|" if pg_col else "") + "---:|---:|---:|---|")
    for p in phases:
        c = p.get("cpu")
        if not c:
            lines.append(f"| {shown(p)} | {p['window'][1] - p['window'][0]:.1f} | n/a (too short to sample) | | | |"
                         + (" |" if hello_col else "") + (" |" if pg_col else "") + f" | | | {p['load_avg_before']} |")
            continue
        hello_cell = f" {c.get('hello world', 0.0):.2f} |" if hello_col else ""
        pg_cell = f" {c.get('postgres', 0.0):.2f} |" if pg_col else ""
        jit = (p.get("jit") or {}).get("authgate")
        jit_cell = "n/a" if jit is None else f"{jit:.2f}"
        lines.append(f"| {shown(p)} | {p['window'][1] - p['window'][0]:.1f} | {c['authgate']:.2f} | {jit_cell} | {c['slapd']:.2f} | {c['redis']:.2f} |"
                     f"{hello_cell}{pg_cell} {c['load generator']:.2f} | {c['other']:.2f} | {c['idle']:.2f} | {p['load_avg_before']} |")
    notes = []
    for p in phases:
        r = p["result"]
        if r.get("errors") and isinstance(r["errors"], list):
            notes.append(f"{shown(p)} Gatling errors: " + " | ".join(r["errors"]))
        if r.get("error"):
            notes.append(f"{shown(p)}: {r['error']}")
        if r.get("feeder_exhausted") and p["tool"] == "wrk":
            notes.append(f"{shown(p)}: a wrk thread used all of its share of the {fmt(r.get('users_reserved'))} users and stopped early; raise BENCH_UNCACHED_MAX_RPS")
        elif r.get("feeder_exhausted") and p["name"].startswith("saml"):
            notes.append(f"{shown(p)}: used every SAML response generated for it ({fmt(r.get('responses_used'))}) and may have stopped early; raise BENCH_SAML_MAX_RPS")
        elif r.get("feeder_exhausted"):
            notes.append(f"{shown(p)}: used all {r.get('users_reserved')} users it was given and stopped early; raise BENCH_UNCACHED_MAX_RPS")
        for w in r.get("warnings") or []:
            notes.append(f"{shown(p)}: {w}")
        if p["tool"] == "wrk" and r.get("check"):
            c = r["check"]
            if c.get("non_200") or c.get("not_ldap"):
                notes.append(f"{shown(p)}: {fmt(c.get('non_200'))} answers other than 200, {fmt(c.get('not_ldap'))} 200s not from LDAP")
    for p in phases:
        other = outside_cores(p)
        if other is None:
            continue
        notes.append(f"{shown(p)}: CPU outside the benchmark's processes ('other') was {other:.2f} cores "
                     f"in the measured window (flagged above {OTHER_CORES_FLAG:.2f}; usually 0.03-0.06): something else "
                     f"competed for the cores, so this phase's figure may be off, and its round's share with it")
    sizes = [(shown(p), p["result"].get("bytes_per_answer")) for p in phases
              if p["tool"] == "wrk" and p["name"].startswith(("verify", "hello")) and p["result"].get("bytes_per_answer")]
    if sizes:
        notes.append("bytes read per answer (wrk, status line, headers and body): "
                     + ", ".join(f"{name} {b:.0f}" for name, b in sizes))
    if run.get("hello"):
        notes.append(f"hello world baseline: {run['hello']}")
    generated = os.path.join(run_dir, "saml-generated.txt")
    if os.path.exists(generated):
        with open(generated, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    name, _, figures = line.strip().partition(" ")
                    notes.append(f"{name}: SAML responses signed before the phase (not measured): {figures}")
        notes.append(f"SAML responses: unsolicited (IdP-initiated), assertion signed RSA-SHA256 with an RSA-{run.get('saml_key_bits')}"
                     f" IdP key, cycling through {fmt(run.get('saml_users'))} users (the first sign-in of each provisions its account)")
    for p in phases:
        if p["name"].startswith("saml") and p["result"].get("responses_used") is not None:
            notes.append(f"{shown(p)}: {fmt(p['result']['responses_used'])} responses posted (silent warm-up and the check in before() included)")
    for p in phases:
        if p["tool"] == "sessions" and "forwarded_trusted" in p["result"].get("verify", {}):
            v = p["result"]["verify"]
            notes.append(f"without a session the verify endpoint answered an API client {v['no_session_api'].get('status')} and a "
                         f"browser {v['no_session_browser'].get('status')} (to {v['no_session_browser'].get('location')}): "
                         + ("the forwarded headers were believed" if v["forwarded_trusted"]
                            else "the forwarded headers were NOT believed (is 127.0.0.1 a trusted proxy?)"))
        if p["tool"] == "sessions" and p["result"].get("verify", {}).get("example"):
            ex = p["result"]["verify"]["example"]
            notes.append(f"a verify answer as the proxy gets it: {ex['status']}, headers "
                         + "; ".join(f"{k}: {v}" for k, v in ex["headers"]))
    log_counts = run.get("server_log") or {}
    if log_counts:
        notes.append(f"authgate log lines by level: {log_counts.get('levels') or '{}'}")
        for w in log_counts.get("warnings", []):
            notes.append(f"  {w['count']} x {w['level']} {w['message']}")
    if notes:
        lines.append("")
        lines.extend(notes)
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(run_dir, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    result = {"run": run, "phases": phases, "ratio_uncached_capacity_vs_authrate_pct": ratio,
              "ratio_uncached_wrk_vs_authrate_pct": ratio_wrk,
              "rounds_uncached_wrk_vs_authrate_pct": round_shares,
              "median_uncached_wrk_vs_authrate_pct": ratio_wrk_median,
              "ratio_verify_vs_hello_gatling_pct": ratio_vh_g, "ratio_verify_vs_hello_wrk_pct": ratio_vh_w,
              "goals": [{"goal": t, "measured": m, "met": ok} for t, m, ok in goals]}
    with open(os.path.join(run_dir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    # A goal whose phase did not run (BENCH_PHASES) reads "not measured" and fails nothing; a phase that
    # ran and broke fails the run in bench.sh already.
    if enforce and any(v is False for v in verdicts):
        return 3
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd = argv[1]
    if cmd == "free-port":
        print(free_port())
    elif cmd == "ssha":
        print(ssha(argv[2]))
    elif cmd == "ldif":
        write_ldif(argv[2], int(argv[3]), argv[4], argv[5])
    elif cmd == "scrape":
        scrape(argv[2], argv[3])
    elif cmd == "cpu-sampler":
        cpu_sampler(argv[2], float(argv[3]), float(argv[4]))
    elif cmd == "prewarm":
        return prewarm(argv[2], int(argv[3]), int(argv[4]), argv[5], argv[6], argv[7])
    elif cmd == "sessions":
        return sessions(argv[2], int(argv[3]), int(argv[4]), argv[5], argv[6], argv[7], argv[8])
    elif cmd == "authrate":
        print(json.dumps(authrate(argv[2]), indent=2))
    elif cmd == "gatling":
        print(json.dumps(gatling(argv[2]), indent=2))
    elif cmd == "wrk":
        print(json.dumps(wrk(argv[2]), indent=2))
    elif cmd == "wrk-check":
        ok, line = wrk_check(argv[2], float(argv[3]))
        print(line)
        return 0 if ok else 1
    elif cmd == "jit-seconds":
        procs = {pid: v for pid, v in _proc_times().items() if v[0] == int(argv[2])}
        print(round(sum(_jit_times(procs).values()) / CLK_TCK, 3))
    elif cmd == "summary":
        return summary(argv[2])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
