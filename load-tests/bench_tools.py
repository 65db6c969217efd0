#!/usr/bin/env python3
"""Helpers for load-tests/bench.sh: directory data, free ports, metrics and the summary.

Standard library only. Subcommands:
  free-port                      print a free TCP port on 127.0.0.1
  ssha PASSWORD                  print a salted SHA-1 ({SSHA}) hash
  ldif OUT USERS PASSWORD SVC_PW write the directory: base, ou=people, ou=services, the service
                                 account and USERS users uid=userN,ou=people,dc=bench,dc=local
  scrape URL OUT                 save the authgate_* lines of a Prometheus /metrics page
  authrate CSV                   print the overall authrate figures of a --csv run as JSON
  gatling LOG                    print the global figures of a Gatling console log as JSON
  summary RUN_DIR                print the summary table of a run and write summary.md/json
"""
import base64
import glob
import hashlib
import json
import os
import re
import socket
import sys
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


def scrape(url, out):
    with urllib.request.urlopen(url, timeout=10) as r:
        text = r.read().decode("utf-8", "replace")
    with open(out, "w", encoding="utf-8") as f:
        for line in text.splitlines():
            if line.startswith("authgate_"):
                f.write(line + "\n")


def read_metrics(path):
    """authgate_* samples of a scrape file as {(name, labels): value}."""
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
    out = {"auth": {}, "cache": {}, "ldap": {}, "unavailable": {}, "rejections": {}}
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
    return out


def authrate(csv_path):
    """Overall figures of an authrate --csv run: the last line's overall columns.

    authrate prints, per interval: timestamp, recent auths/s, recent avg duration ms, recent
    errors/s, then overall (since warm-up ended) auths/s and avg duration ms.
    """
    header, last, intervals = None, None, 0
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
                    continue
                last = cells
                intervals += 1
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
    out["assertions"] = re.findall(r"^(Global: .*? : (?:true|false).*)$", text[start:], re.M)
    errors = re.search(r"---- Errors -+\n(.*?)\n=+", text[start:], re.S)
    if errors:
        out["errors"] = [" ".join(l.split()) for l in errors.group(1).splitlines() if l.startswith(">")][:10]
    return out


def fmt(value, digits=0):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def summary(run_dir):
    with open(os.path.join(run_dir, "run.json"), encoding="utf-8") as f:
        run = json.load(f)
    result = {"run": run, "authrate": None, "simulations": []}
    ar_csv = os.path.join(run_dir, "authrate.csv")
    if os.path.exists(ar_csv):
        result["authrate"] = authrate(ar_csv)
    ar_rate = (result["authrate"] or {}).get("overall_auths_per_sec")

    for sim in run.get("simulations", []):
        entry = dict(sim)
        entry["gatling"] = gatling(os.path.join(run_dir, f"gatling-{sim['name']}.log"))
        entry["server"] = metrics_delta(os.path.join(run_dir, f"metrics-before-{sim['name']}.txt"),
                                        os.path.join(run_dir, f"metrics-after-{sim['name']}.txt"))
        result["simulations"].append(entry)

    lines = []
    lines.append(f"authgate benchmark {run.get('started', '')} ({'SMOKE, not a benchmark' if run.get('smoke') else 'full'})")
    lines.append(f"  {run.get('users')} directory users, {run.get('cpus')} CPUs, duration {run.get('duration')} s per simulation,"
                 f" groups strategy: {run.get('groups_strategy')}")
    lines.append("")
    lines.append("| run | target req/s | achieved req/s | OK req/s | requests | failed | p50 ms | p75 ms | p95 ms | p99 ms | max ms | vs authrate | assertions |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    if result["authrate"]:
        ar = result["authrate"]
        ar_ok = "passed" if run.get("authrate_exit") == 0 and ar_rate else f"FAILED (exit {run.get('authrate_exit')})"
        lines.append(f"| authrate (LDAP only, {run.get('authrate_threads')} threads) | max | {fmt(ar_rate, 1)} | {fmt(ar_rate, 1)} "
                     f"| | | mean {fmt(ar.get('overall_avg_ms'), 2)} | | | | | 100% | {ar_ok} |")
    for sim in result["simulations"]:
        g = sim["gatling"]
        vs = ""
        if sim.get("role") == "uncached" and ar_rate and g.get("ok_rps") is not None:
            vs = f"{100.0 * g['ok_rps'] / ar_rate:.1f}%"
        failed = "n/a" if g.get("ko") is None else f"{fmt(g.get('ko'))} ({g.get('ko_pct', 0):.2f}%)"
        lines.append(f"| {sim['label']} | {fmt(sim.get('rate'), 0)} | {fmt(g.get('rps'), 1)} | {fmt(g.get('ok_rps'), 1)} "
                     f"| {fmt(g.get('requests'))} | {failed} | {fmt(g.get('p50_ms'))} | {fmt(g.get('p75_ms'))} "
                     f"| {fmt(g.get('p95_ms'))} | {fmt(g.get('p99_ms'))} | {fmt(g.get('max_ms'))} | {vs} "
                     f"| {'passed' if sim.get('exit') == 0 else 'FAILED (exit ' + str(sim.get('exit')) + ')'} |")
    lines.append("")
    lines.append("Server-side counts during each simulation (from /metrics):")
    for sim in result["simulations"]:
        s = sim["server"]
        parts = [f"logins {s['auth'] or '{}'}", f"ldap ops {s['ldap'] or '{}'}"]
        if s["unavailable"]:
            parts.append(f"directory unavailable {s['unavailable']}")
        if s["rejections"]:
            parts.append(f"rejections {s['rejections']}")
        lines.append(f"  {sim['label']}: " + "; ".join(parts))
    for sim in result["simulations"]:
        g = sim["gatling"]
        if g.get("errors"):
            lines.append(f"  {sim['label']} Gatling errors: " + " | ".join(g["errors"]))
        if g.get("error"):
            lines.append(f"  {sim['label']}: {g['error']}")
    lines.append("")
    loads = [f"authrate {run.get('authrate_load_avg_before', '?')}"]
    loads += [f"{sim['name']} {sim.get('load_avg_before', '?')}" for sim in result["simulations"]]
    lines.append("Load average (1/5/15 min) just before each step: " + "; ".join(loads))
    log_counts = run.get("server_log") or {}
    if log_counts:
        lines.append(f"authgate log lines by level: {log_counts.get('levels') or '{}'}")
        for w in log_counts.get("warnings", []):
            lines.append(f"  {w['count']} x {w['level']} {w['message']}")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(run_dir, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    with open(os.path.join(run_dir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)


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
    elif cmd == "authrate":
        print(json.dumps(authrate(argv[2]), indent=2))
    elif cmd == "gatling":
        print(json.dumps(gatling(argv[2]), indent=2))
    elif cmd == "summary":
        summary(argv[2])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
