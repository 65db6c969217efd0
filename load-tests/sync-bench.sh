#!/usr/bin/env bash
# The sync benchmark: a full sync of ENTRIES LDAP entries into PostgreSQL, an incremental sync of 100
# changes, and provisioning of ACCOUNTS accounts to LDAP, against a fresh slapd of its own and the
# local PostgreSQL. Prints the figures and checks them against the goals of docs/BENCHMARKS.md:
# full sync under 10 s (for 100,000 entries), incremental under 1 s, provisioning >= 1,000/s.
# Exit 0 when every goal is met, 1 when one is not, 2 when the run fails.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ENTRIES=${ENTRIES:-100000}
ACCOUNTS=${ACCOUNTS:-10000}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if ! mvn -B -q verify -pl core,sync-worker -am -Dtest=none -Dit.test=SyncBenchmark \
    -Dauthgate.bench.entries="$ENTRIES" -Dauthgate.bench.provision="$ACCOUNTS" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false >"$out" 2>&1; then
  tail -n 40 "$out"
  echo "sync-bench: the benchmark run failed" >&2
  exit 2
fi
grep -E '^(loaded|full sync|incremental sync|provisioned)' "$out"
python3 - "$out" "$ENTRIES" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
entries = int(sys.argv[2])
full = float(re.search(r'full sync of \d+ entries: ([\d.]+) s', text).group(1))
incremental = int(re.search(r'incremental sync of 100 changes: (\d+) ms', text).group(1))
rate = float(re.search(r'provisioned \d+ accounts to LDAP: [\d.]+ s \((\d+) accounts/s\)', text).group(1))
# The full-sync goal is 10 s for 100,000 entries: scaled to the entries asked for.
checks = [("full sync", full, 10.0 * entries / 100000, full <= 10.0 * entries / 100000),
          ("incremental sync (ms)", incremental, 1000, incremental < 1000),
          ("provisioning (accounts/s)", rate, 1000, rate >= 1000)]
for name, value, goal, ok in checks:
    print(f"{name}: {value} (goal {goal}) {'met' if ok else 'NOT MET'}")
sys.exit(0 if all(c[3] for c in checks) else 1)
PY
