#!/usr/bin/env bash
# authgate benchmark: LDAP baseline (UnboundID authrate) vs the gateway's uncached and cached paths.
#
#   load-tests/bench.sh            full run (defaults: 60 s per measurement, 1100 req/s offered)
#   load-tests/bench.sh --smoke    ~10 s of light load that proves the wiring (CI)
#
# Everything it starts (slapd, Redis, authgate, authrate, Gatling) listens on or talks to
# 127.0.0.1 only, and is stopped on exit, failure or Ctrl-C. Results: load-tests/results/<run>/.
# Parameters are environment variables; see usage() or load-tests/README.md.
set -Eeuo pipefail
set -m  # every background job gets its own process group, so a stop takes its children with it

usage() {
  cat <<'EOF'
Usage: load-tests/bench.sh [--smoke] [--help]

Environment (defaults for a full run; --smoke lowers them):
  BENCH_DURATION=60            seconds of constant-rate load per simulation (smoke: 5)
  BENCH_UNCACHED_RATE=1100     offered req/s, uncached simulation (smoke: 100)
  BENCH_CACHED_RATE=1100       offered req/s, cached simulation (smoke: 200)
  BENCH_MIN_RPS=1000           throughput floor the Gatling assertions demand (smoke: 20)
  BENCH_MAX_ERROR_PCT=1.0      failure ceiling (percent) the assertions demand
  BENCH_CACHED_USERS=100       users the cached simulation cycles through
  BENCH_USERS                  directory size; default max(100000, users needed) (smoke: 10000)
  BENCH_AUTHRATE_DURATION      seconds of measured authrate (default BENCH_DURATION; smoke: 3)
  BENCH_AUTHRATE_WARMUP=5      seconds of authrate warm-up, not measured (smoke: 1)
  BENCH_AUTHRATE_THREADS=20    authrate threads (20 = the gateway's default LDAP pool.max)
  BENCH_WARMUP=15              seconds of unmeasured gateway warm-up (uncached path) (smoke: 0)
  BENCH_WARMUP_RATE            warm-up req/s (default half of BENCH_UNCACHED_RATE)
  BENCH_BODY=json              how credentials are posted: json, form or basic
  BENCH_GROUPS_STRATEGY        directory groups strategy (search|member-of|none); default: the
                               server's own default (search: one group search per LDAP login)
  BENCH_JAVA_OPTS=-Xmx1g       JVM options of the authgate process
  BENCH_REDIS_URL              use this Redis instead of a private redis-server on a free port
  BENCH_POSTGRES_URL           use this database instead of a throw-away one created with createdb
  BENCH_PG_HOST=127.0.0.1 BENCH_PG_PORT=5432 BENCH_PG_USER=postgres   where createdb runs
  BENCH_MVN_ARGS               extra Maven arguments for the Gatling runs (e.g. -o)
  BENCH_REBUILD=0              1: rebuild server/target/authgate.jar even if it exists
  BENCH_KEEP=0                 1: keep the temporary directory (slapd database, LDIF)
EOF
}

SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
TOOLS="$SCRIPT_DIR/bench_tools.py"
JAR="$REPO/server/target/authgate.jar"

if [[ $SMOKE == 1 ]]; then
  : "${BENCH_DURATION:=5}" "${BENCH_UNCACHED_RATE:=100}" "${BENCH_CACHED_RATE:=200}" "${BENCH_MIN_RPS:=20}"
  : "${BENCH_AUTHRATE_DURATION:=3}" "${BENCH_AUTHRATE_WARMUP:=1}" "${BENCH_WARMUP:=0}" "${BENCH_USERS:=10000}"
fi
: "${BENCH_DURATION:=60}" "${BENCH_UNCACHED_RATE:=1100}" "${BENCH_CACHED_RATE:=1100}" "${BENCH_MIN_RPS:=1000}"
: "${BENCH_MAX_ERROR_PCT:=1.0}" "${BENCH_CACHED_USERS:=100}"
: "${BENCH_AUTHRATE_DURATION:=$BENCH_DURATION}" "${BENCH_AUTHRATE_WARMUP:=5}" "${BENCH_AUTHRATE_THREADS:=20}"
: "${BENCH_WARMUP:=15}" "${BENCH_BODY:=json}" "${BENCH_GROUPS_STRATEGY:=}" "${BENCH_JAVA_OPTS:=-Xmx1g}"
: "${BENCH_REDIS_URL:=}" "${BENCH_POSTGRES_URL:=}" "${BENCH_PG_HOST:=127.0.0.1}" "${BENCH_PG_PORT:=5432}"
: "${BENCH_PG_USER:=postgres}" "${BENCH_MVN_ARGS:=}" "${BENCH_REBUILD:=0}" "${BENCH_KEEP:=0}"
: "${BENCH_WARMUP_RATE:=$(( (${BENCH_UNCACHED_RATE%.*} + 1) / 2 ))}"

log() { printf '%s [bench] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
ceil_mul() { python3 -c "import math,sys; print(math.ceil(float(sys.argv[1]) * float(sys.argv[2])))" "$1" "$2"; }

for tool in java mvn python3 curl slapd slapadd; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] || die "$tool is required"
done
SLAPD=$(command -v slapd || echo /usr/sbin/slapd)
SLAPADD=$(command -v slapadd || echo /usr/sbin/slapadd)
[[ -d /usr/lib/ldap && -f /etc/ldap/schema/inetorgperson.schema ]] || die "OpenLDAP modules or schemas missing (apt-get install slapd)"
case "$BENCH_BODY" in json|form|basic) ;; *) die "BENCH_BODY must be json, form or basic" ;; esac

# ---- user space -----------------------------------------------------------------------------------
# Disjoint ranges: [uncached measured][warm-up][cached]; each uncached/warm-up user logs in once.
UNCACHED_USERS=$(ceil_mul "$BENCH_UNCACHED_RATE" "$BENCH_DURATION")
WARMUP_USERS=0
[[ $BENCH_WARMUP -gt 0 ]] && WARMUP_USERS=$(ceil_mul "$BENCH_WARMUP_RATE" "$BENCH_WARMUP")
UNCACHED_FIRST=1
WARMUP_FIRST=$((UNCACHED_FIRST + UNCACHED_USERS))
CACHED_FIRST=$((WARMUP_FIRST + WARMUP_USERS))
NEEDED=$((CACHED_FIRST + BENCH_CACHED_USERS - 1))
if [[ -z ${BENCH_USERS:-} ]]; then
  BENCH_USERS=$(( NEEDED > 100000 ? NEEDED : 100000 ))
elif [[ $BENCH_USERS -lt $NEEDED ]]; then
  die "BENCH_USERS=$BENCH_USERS is too small: this run needs $NEEDED users ($UNCACHED_USERS uncached, $WARMUP_USERS warm-up, $BENCH_CACHED_USERS cached)"
fi

RUN_ID="$(date +%Y%m%d-%H%M%S)$([[ $SMOKE == 1 ]] && echo -smoke || true)"
RUN_DIR="$SCRIPT_DIR/results/$RUN_ID"
mkdir -p "$RUN_DIR"
ln -sfn "$RUN_ID" "$SCRIPT_DIR/results/latest"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/authgate-bench.XXXXXX")
SIMS_TSV="$RUN_DIR/simulations.tsv"
: > "$SIMS_TSV"

# ---- cleanup: stop everything we started, newest first ------------------------------------------
PIDS=()        # process-group leaders we started
PID_NAMES=()
CREATED_DB=""

stop_group() {  # stop_group PID NAME: TERM the process group, KILL it after 15 s
  local pid=$1 name=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop_group "${PIDS[$i]}" "${PID_NAMES[$i]}"
  done
  if [[ -n $CREATED_DB ]]; then
    dropdb -h "$BENCH_PG_HOST" -p "$BENCH_PG_PORT" -U "$BENCH_PG_USER" --if-exists "$CREATED_DB" >/dev/null 2>&1 \
      && log "dropped database $CREATED_DB" || log "could not drop database $CREATED_DB"
  fi
  [[ -f $WORK/slapd.log ]] && cp "$WORK/slapd.log" "$RUN_DIR/slapd.log" 2>/dev/null
  if [[ $BENCH_KEEP == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  log "results: $RUN_DIR (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

start_bg() {  # start_bg NAME LOGFILE CMD...: run in the background in its own process group
  local name=$1 logfile=$2
  shift 2
  "$@" > "$logfile" 2>&1 < /dev/null &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  PID_NAMES+=("$name")
}

wait_bg() {  # wait_bg PID: wait for a background job, return its exit status
  local rc=0
  wait "$1" || rc=$?
  return "$rc"
}

free_port() { python3 "$TOOLS" free-port; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

log "run $RUN_ID: results in $RUN_DIR"
log "load average before start: $(loadavg) on $(nproc) CPUs"
[[ $SMOKE == 1 ]] && log "SMOKE run: light load to check the wiring; its figures are not a benchmark"

# ---- (a) build ------------------------------------------------------------------------------------
if [[ ! -f $JAR || $BENCH_REBUILD == 1 ]]; then
  log "building the server (mvn install -DskipTests)"
  (cd "$REPO" && mvn -B -q install -DskipTests) > "$RUN_DIR/build.log" 2>&1 || { tail -40 "$RUN_DIR/build.log" >&2; die "build failed, see $RUN_DIR/build.log"; }
fi
log "compiling the simulations"
# shellcheck disable=SC2086
(cd "$REPO" && mvn -B -q $BENCH_MVN_ARGS -pl load-tests test-compile) > "$RUN_DIR/compile.log" 2>&1 \
  || { tail -40 "$RUN_DIR/compile.log" >&2; die "load-tests do not compile, see $RUN_DIR/compile.log"; }

# ---- (b) directory: slapd with an mdb database on a free port -------------------------------------
BASE_DN="dc=bench,dc=local"
PEOPLE_DN="ou=people,$BASE_DN"
SERVICE_DN="cn=authgate,ou=services,$BASE_DN"
USER_PASSWORD="bench-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
SERVICE_PASSWORD="svc-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
LDAP_PORT=$(free_port)
mkdir -p "$WORK/ldap-data"

cat > "$WORK/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile $WORK/slapd.pid
argsfile $WORK/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
loglevel none
sizelimit 500

database mdb
maxsize 4294967296
suffix "$BASE_DN"
rootdn "cn=admin,$BASE_DN"
rootpw $(python3 "$TOOLS" ssha "$SERVICE_PASSWORD")
directory $WORK/ldap-data
dbnosync
index objectClass eq
index uid,mail eq
# the gateway's default group search filter: groupOfNames/member, groupOfUniqueNames/uniqueMember, posixGroup/memberUid
index member,uniqueMember,memberUid eq
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="$SERVICE_DN" read by self read by * none
EOF

log "generating $BENCH_USERS users (salted SSHA) and loading them with slapadd"
t0=$(date +%s.%N)
python3 "$TOOLS" ldif "$WORK/users.ldif" "$BENCH_USERS" "$USER_PASSWORD" "$SERVICE_PASSWORD"
"$SLAPADD" -q -f "$WORK/slapd.conf" -l "$WORK/users.ldif" > "$WORK/slapadd.log" 2>&1 \
  || { cat "$WORK/slapadd.log" >&2; die "slapadd failed"; }
log "directory loaded in $(python3 -c "import sys,time; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$t0") s"

start_bg slapd "$WORK/slapd.log" "$SLAPD" -f "$WORK/slapd.conf" -h "ldap://127.0.0.1:$LDAP_PORT/" -d 0
SLAPD_PID=$LAST_PID
ldap_ready=0
for ((i = 0; i < 100; i++)); do
  kill -0 "$SLAPD_PID" 2>/dev/null || { cat "$WORK/slapd.log" >&2; die "slapd exited"; }
  if python3 - "$LDAP_PORT" <<'PY' 2>/dev/null; then
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
PY
    ldap_ready=1; break
  fi
  sleep 0.1
done
[[ $ldap_ready == 1 ]] || die "slapd did not open port $LDAP_PORT"
log "slapd listening on ldap://127.0.0.1:$LDAP_PORT"

# ---- (c) baseline: UnboundID authrate, search-then-bind, same users and filter as the gateway ------
SDK_JAR=$(ls "$HOME"/.m2/repository/com/unboundid/unboundid-ldapsdk/*/unboundid-ldapsdk-*.jar 2>/dev/null | grep -v sources | sort -V | tail -1 || true)
if [[ -z $SDK_JAR ]]; then
  log "fetching the UnboundID LDAP SDK"
  (cd "$REPO" && mvn -B -q dependency:get -Dartifact=com.unboundid:unboundid-ldapsdk:7.0.5) >/dev/null 2>&1 || true
  SDK_JAR=$(ls "$HOME"/.m2/repository/com/unboundid/unboundid-ldapsdk/*/unboundid-ldapsdk-*.jar 2>/dev/null | sort -V | tail -1 || true)
fi
[[ -n $SDK_JAR ]] || die "UnboundID LDAP SDK jar not found in ~/.m2"
AUTHRATE_CLASS=com.unboundid.ldap.sdk.examples.AuthRate
unzip -l "$SDK_JAR" 2>/dev/null | grep -q 'com/unboundid/ldap/sdk/examples/AuthRate.class' \
  || AUTHRATE_CLASS=com.unboundid.ldap.sdk.unboundidds.tools.AuthRate

log "authrate: $BENCH_AUTHRATE_THREADS threads, ${BENCH_AUTHRATE_WARMUP}s warm-up + ${BENCH_AUTHRATE_DURATION}s measured (load avg $(loadavg))"
LOAD_AUTHRATE=$(loadavg)
start_bg authrate "$RUN_DIR/authrate.csv" java -cp "$SDK_JAR" "$AUTHRATE_CLASS" \
  -h 127.0.0.1 -p "$LDAP_PORT" -D "$SERVICE_DN" -w "$SERVICE_PASSWORD" \
  -b "$PEOPLE_DN" -s sub -f "(|(uid=user[1-$BENCH_USERS])(mail=user[ref:1]))" \
  -A uid -A mail -A displayName -A cn -A pwdAccountLockedTime --passwordPolicyRequestControl \
  -C "$USER_PASSWORD" -t "$BENCH_AUTHRATE_THREADS" -i 1 \
  -I "$BENCH_AUTHRATE_DURATION" --warmUpIntervals "$BENCH_AUTHRATE_WARMUP" -c
AUTHRATE_RC=0
wait_bg "$LAST_PID" || AUTHRATE_RC=$?
[[ $AUTHRATE_RC == 0 ]] || log "authrate exited with $AUTHRATE_RC (see $RUN_DIR/authrate.csv)"
AUTHRATE_RATE=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d.get('overall_auths_per_sec','n/a'))" \
  "$(python3 "$TOOLS" authrate "$RUN_DIR/authrate.csv")")
log "authrate: $AUTHRATE_RATE auths/s"

# ---- (d) authgate against that slapd, Redis and PostgreSQL ----------------------------------------
if [[ -z $BENCH_REDIS_URL ]]; then
  command -v redis-server >/dev/null 2>&1 || die "redis-server not found; set BENCH_REDIS_URL"
  REDIS_PORT=$(free_port)
  start_bg redis "$RUN_DIR/redis.log" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' \
    --appendonly no --dir "$WORK" --daemonize no
  BENCH_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  for ((i = 0; i < 50; i++)); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || die "private redis-server did not start"
  log "private redis-server on $BENCH_REDIS_URL"
fi
if [[ -z $BENCH_POSTGRES_URL ]]; then
  CREATED_DB="authgate_bench_$(date +%s)_$$"
  createdb -h "$BENCH_PG_HOST" -p "$BENCH_PG_PORT" -U "$BENCH_PG_USER" "$CREATED_DB" \
    || { CREATED_DB=""; die "createdb failed; set BENCH_POSTGRES_URL"; }
  BENCH_POSTGRES_URL="postgresql://$BENCH_PG_USER@$BENCH_PG_HOST:$BENCH_PG_PORT/$CREATED_DB"
  log "throw-away database $CREATED_DB"
fi

HTTP_PORT=$(free_port)
ADMIN_PORT=$(free_port)
while [[ $ADMIN_PORT == "$HTTP_PORT" ]]; do ADMIN_PORT=$(free_port); done
BASE_URL="http://127.0.0.1:$HTTP_PORT"
# A fresh HMAC key per run: nothing cached by an earlier run can match.
HMAC_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
authgate_env=(
  AUTHGATE_LDAP_URL="ldap://127.0.0.1:$LDAP_PORT"
  AUTHGATE_LDAP_BASE_DN="$BASE_DN"
  AUTHGATE_LDAP_BIND_DN="$SERVICE_DN"
  AUTHGATE_LDAP_BIND_PASSWORD="$SERVICE_PASSWORD"
  AUTHGATE_LDAP_USER_FILTER="(|(uid={username})(mail={username}))"
  AUTHGATE_POSTGRES_URL="$BENCH_POSTGRES_URL"
  AUTHGATE_REDIS_URL="$BENCH_REDIS_URL"
  AUTHGATE_HTTP_HOST=127.0.0.1
  AUTHGATE_HTTP_PORT="$HTTP_PORT"
  AUTHGATE_ADMIN_PORT="$ADMIN_PORT"
  AUTHGATE_CACHE_HMAC_KEY="$HMAC_KEY"
  AUTHGATE_ROLES=gateway
  AUTHGATE_LOG_LEVEL=WARN
)
[[ -n $BENCH_GROUPS_STRATEGY ]] && authgate_env+=(AUTHGATE_DIRECTORIES_0_GROUPS_STRATEGY="$BENCH_GROUPS_STRATEGY")

log "starting authgate on $BASE_URL ($BENCH_JAVA_OPTS)"
# shellcheck disable=SC2086
start_bg authgate "$RUN_DIR/authgate.log" env "${authgate_env[@]}" java $BENCH_JAVA_OPTS -jar "$JAR"
AUTHGATE_PID=$LAST_PID
ready=0
for ((i = 0; i < 240; i++)); do
  kill -0 "$AUTHGATE_PID" 2>/dev/null || { tail -40 "$RUN_DIR/authgate.log" >&2; die "authgate exited during start-up"; }
  if [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/health/ready" || true) == 200 ]]; then
    ready=1; break
  fi
  sleep 0.5
done
[[ $ready == 1 ]] || { tail -40 "$RUN_DIR/authgate.log" >&2; die "authgate not ready after 120 s"; }
log "authgate ready"

# ---- (e) Gatling ----------------------------------------------------------------------------------
OVERALL_RC=0

run_simulation() {  # run_simulation NAME ROLE LABEL CLASS RATE USERS FIRST_USER ASSERT
  local name=$1 role=$2 label=$3 class=$4 rate=$5 users=$6 first=$7 assert=$8 duration=${9:-$BENCH_DURATION}
  local logfile="$RUN_DIR/gatling-$name.log" rc=0
  log "$label: $class at $rate req/s for ${duration}s, users $first..$((first + users - 1)) (load avg $(loadavg))"
  python3 "$TOOLS" scrape "$BASE_URL/metrics" "$RUN_DIR/metrics-before-$name.txt" || true
  # shellcheck disable=SC2086
  start_bg "gatling ($name)" "$logfile" bash -c 'cd "$1" && shift && exec mvn -B "$@"' _ "$REPO" $BENCH_MVN_ARGS \
    -pl load-tests gatling:test \
    -Dgatling.simulationClass="io.authgate.loadtests.$class" \
    -Dgatling.resultsFolder="$RUN_DIR/gatling/$name" \
    -Dgatling.runDescription="authgate bench $RUN_ID $name" \
    -Dbase.url="$BASE_URL" -Drate="$rate" -Dduration="$duration" -Dusers="$users" -Dfirst.user="$first" \
    -Dpassword="$USER_PASSWORD" -Dbody="$BENCH_BODY" -Dmin.rps="$BENCH_MIN_RPS" \
    -Dmax.error.pct="$BENCH_MAX_ERROR_PCT" -Dassertions="$assert"
  wait_bg "$LAST_PID" || rc=$?
  python3 "$TOOLS" scrape "$BASE_URL/metrics" "$RUN_DIR/metrics-after-$name.txt" || true
  kill -0 "$AUTHGATE_PID" 2>/dev/null || log "WARNING: authgate is no longer running"
  if [[ $role != warmup ]]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$role" "$label" "$rate" "$rc" "$(loadavg)" >> "$SIMS_TSV"
  fi
  grep -E '^(Global: |> (request count|mean throughput|response time (50|99)th))' "$logfile" | sed 's/^/    /' || true
  if [[ $rc != 0 ]]; then
    log "$label: Gatling exited with $rc (assertions failed or the run broke; see $logfile)"
    grep -E '^\[ERROR\]|Exception' "$logfile" | head -5 | sed 's/^/    /' || true
  fi
  return "$rc"
}

if [[ $BENCH_WARMUP -gt 0 ]]; then
  run_simulation warmup warmup "warm-up (not measured)" UncachedAuthSimulation "$BENCH_WARMUP_RATE" \
    "$WARMUP_USERS" "$WARMUP_FIRST" false "$BENCH_WARMUP" || log "warm-up failed; measuring anyway"
fi
run_simulation uncached uncached "gateway uncached (LDAP)" UncachedAuthSimulation "$BENCH_UNCACHED_RATE" \
  "$UNCACHED_USERS" "$UNCACHED_FIRST" true || OVERALL_RC=1
run_simulation cached cached "gateway cached" CachedAuthSimulation "$BENCH_CACHED_RATE" \
  "$BENCH_CACHED_USERS" "$CACHED_FIRST" true || OVERALL_RC=1

# ---- (f) summary ----------------------------------------------------------------------------------
python3 - "$RUN_DIR" <<PY
import collections, json, os, sys
run_dir = sys.argv[1]
sims = []
with open(os.path.join(run_dir, "simulations.tsv"), encoding="utf-8") as f:
    for line in f:
        name, role, label, rate, rc, load = line.rstrip("\n").split("\t")
        sims.append({"name": name, "role": role, "label": label, "rate": float(rate), "exit": int(rc),
                     "load_avg_before": load})
levels, messages = collections.Counter(), collections.Counter()
log_path = os.path.join(run_dir, "authgate.log")
if os.path.exists(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            level = entry.get("level", "?")
            levels[level] += 1
            if level in ("WARN", "ERROR"):
                messages[(level, entry.get("message", "")[:160])] += 1
run = {
    "id": "$RUN_ID", "started": "$RUN_ID", "smoke": $SMOKE == 1, "cpus": os.cpu_count(),
    "users": $BENCH_USERS, "duration": $BENCH_DURATION, "body": "$BENCH_BODY",
    "groups_strategy": "${BENCH_GROUPS_STRATEGY:-server default (search)}",
    "authrate_threads": $BENCH_AUTHRATE_THREADS, "authrate_duration": $BENCH_AUTHRATE_DURATION,
    "authrate_load_avg_before": "$LOAD_AUTHRATE", "authrate_exit": $AUTHRATE_RC,
    "warmup_seconds": $BENCH_WARMUP, "warmup_rate": $BENCH_WARMUP_RATE,
    "min_rps": $BENCH_MIN_RPS, "max_error_pct": $BENCH_MAX_ERROR_PCT,
    "java_opts": "$BENCH_JAVA_OPTS", "simulations": sims,
    "server_log": {"levels": dict(levels),
                   "warnings": [{"level": l, "message": m, "count": c} for (l, m), c in messages.most_common(10)]},
}
with open(os.path.join(run_dir, "run.json"), "w", encoding="utf-8") as f:
    json.dump(run, f, indent=2)
PY
echo
python3 "$TOOLS" summary "$RUN_DIR"
echo
if [[ $OVERALL_RC != 0 ]]; then
  log "at least one simulation failed its assertions or did not run"
fi
exit "$OVERALL_RC"
