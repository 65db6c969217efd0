#!/usr/bin/env bash
# authgate benchmark: the directory's own search-then-bind rate (UnboundID authrate) against the
# gateway's maximum and constant-rate throughput, uncached (LDAP) and cached; and the verify
# endpoint reverse proxies call against a bare Vert.x hello world.
#
#   load-tests/bench.sh            full run (defaults: 60 s per phase; about 15-16 minutes, plus 7-8 for the SAML phases)
#   load-tests/bench.sh --smoke    a short run (3 s per phase, ~60 s of load) that proves the wiring (CI)
#
# Phases, in order, each with its own results: authrate flat out (N threads) -> [unmeasured
# warm-up] -> gateway uncached capacity (Gatling, N concurrent users, closed model) -> gateway
# uncached capacity (wrk, N connections, after its own short warm-up) -> [BENCH_ROUNDS - 1 more
# pairs of authrate and uncached wrk] -> gateway uncached at a constant 1,100/s (open model) ->
# cache pre-warm -> cached capacity (Gatling, closed model) ->
# cached capacity (wrk, same connections and duration) -> cached at a constant 1,000/s (p99) ->
# sessions opened -> verify capacity (Gatling, then wrk; GET /v1/verify/forward-auth with a session
# cookie) -> a bare Vert.x hello-world server in its own JVM -> its capacity (Gatling, then wrk,
# the same requests), the baseline of the verify path -> fresh signed SAML responses from a bench
# IdP -> SAML ACS capacity (Gatling, closed model) -> SAML ACS at a constant 1,500/s (open model).
#
# Everything it starts (slapd, Redis, authgate, the hello-world server, authrate, Gatling, wrk, a
# CPU sampler) listens on
# or talks to 127.0.0.1 only, runs for a bounded time, and is stopped on exit, failure or Ctrl-C.
# Results: load-tests/results/<run>/. Parameters are environment variables; see usage() or
# load-tests/README.md.
set -Eeuo pipefail
set -m  # every background job gets its own process group, so a stop takes its children with it

usage() {
  cat <<'USAGE'
Usage: load-tests/bench.sh [--smoke] [--help]

Environment (defaults for a full run; --smoke lowers some):
  BENCH_DURATION=60              seconds of measured load per phase (smoke: 3)
  BENCH_GATLING_WARMUP=10        seconds of the same load before each Gatling phase, sent silent
                                 (in no statistic): warms up Gatling's own fresh JVM (smoke: 1)
  BENCH_PHASES=all               comma-separated subset of: authrate, uncached-capacity,
                                 uncached-wrk, uncached-rate, cached-capacity, cached-wrk,
                                 cached-rate, verify-capacity, verify-wrk, hello-capacity,
                                 hello-wrk, saml-capacity, saml-rate (the cache pre-warm runs
                                 whenever a cached phase does, the sessions step whenever a verify
                                 or hello phase does, the SAML responses are signed before each
                                 SAML phase); goals whose phases did not run read "not measured"
  BENCH_AUTHRATE_THREADS=20      authrate threads, N (20 = the gateway's default LDAP pool.max)
  BENCH_AUTHRATE_DURATION        measured authrate seconds (default BENCH_DURATION; smoke: 3)
  BENCH_AUTHRATE_WARMUP=5        authrate warm-up seconds, not measured (smoke: 1)
  BENCH_SLAPD_THREADS            slapd's worker threads (its "threads" setting; default: slapd's
                                 own, 16); authrate and the gateway share that slapd
  BENCH_ROUNDS=4                 rounds of the authrate / uncached-wrk pair (needs both phases; smoke: 1):
                                 after the first pair, R-1 more pairs run back to back, each
                                 with users of its own, and the uncached goal is judged on the
                                 median of the rounds' shares (the machine's speed drifts from
                                 minute to minute; a pair run one after the other shares it)
  BENCH_UNCACHED_CONCURRENCY     Gatling virtual users and wrk connections of the uncached
                                 capacity phases (default N)
  BENCH_UNCACHED_MAX_RPS=15000   the directory holds this many fresh users per second of the
                                 closed-model uncached phases (Gatling and wrk capacity, their
                                 warm-ups included, and the gateway warm-up): each request needs
                                 a user of its own
  BENCH_UNCACHED_RATE=1100       offered req/s, uncached constant-rate phase (smoke: 100)
  BENCH_CACHED_USERS=100         users of the cached phases, pre-warmed once each
  BENCH_CACHED_CONCURRENCY=64    Gatling virtual users and wrk connections, cached capacity phases
  BENCH_WRK_THREADS              wrk threads (default: the number of CPUs; per phase, lowered to
                                 the largest count that divides its connections evenly)
  BENCH_WRK_DURATION             seconds of each measured wrk phase (default BENCH_DURATION)
  BENCH_WRK_WARMUP=5             seconds of unmeasured wrk, on users of their own, before the
                                 uncached wrk phase (smoke: 1; 0: none)
  BENCH_WRK_CHECK=1              uncached wrk phase: 1 checks every answer in wrk's response() hook
                                 (200 and "source":"ldap"); 0 counts only status and socket errors
                                 (/metrics still shows which answers came from LDAP)
  BENCH_WRK=1                    0: skip the wrk phases (without wrk installed a smoke run skips them)
  BENCH_CACHED_RATE=1000         offered req/s, cached constant-rate phase (smoke: 200)
  BENCH_MIN_RPS=1000             throughput floor of the capacity phases and the uncached
                                 constant-rate phase (Gatling assertions) (smoke: 20)
  BENCH_MAX_ERROR_PCT=1.0        failure ceiling (percent) of every phase
  BENCH_GOAL_UNCACHED_RATIO=70   goal: uncached capacity, % of authrate
  BENCH_GOAL_CACHED_RPS=20000    goal: cached capacity, req/s (wrk or Gatling)
  BENCH_GOAL_CACHED_P99_MS=5     goal: cached p99 at BENCH_CACHED_RATE, ms
  BENCH_VERIFY_SESSIONS          sessions of the verify phases, opened for the first of the cached
                                 users (default BENCH_CACHED_USERS)
  BENCH_VERIFY_CONCURRENCY       Gatling virtual users and wrk connections of the verify and hello
                                 phases (default BENCH_CACHED_CONCURRENCY)
  BENCH_WRK_VERIFY_CHECK=0       verify/hello wrk phases: 1 checks every answer in wrk's response()
                                 hook (200 and Remote-User / X-Hello); 0 counts status and socket
                                 errors (/metrics' allowed verifies are the cross-check)
  BENCH_GOAL_VERIFY_RPS=25000    goal: verify capacity, req/s (wrk or Gatling)
  BENCH_GOAL_VERIFY_HELLO_PCT=60 goal: verify capacity, % of the hello world's by the same tool
  BENCH_SAML_CONCURRENCY=64      Gatling virtual users of the SAML capacity phase
  BENCH_SAML_WARMUP=90           seconds of silent load before the SAML capacity phase (smoke: 1):
                                 the JIT compiles the XML, signature and OpenSAML code for over a
                                 minute on 2 cores, so a shorter warm-up measures the compiler
  BENCH_SAML_RATE=1500           offered sign-ins/s, SAML constant-rate phase (smoke: 20)
  BENCH_SAML_RATE_WARMUP=40      seconds of silent load before the SAML constant-rate phase (smoke: 1):
                                 after the capacity phase the gateway's JIT recompiles its network
                                 paths for 30-50 s on 2 cores, and it sheds what it cannot take meanwhile
  BENCH_SAML_MAX_RPS=4000        SAML responses signed per second of the SAML capacity phase (its
                                 silent warm-up included): each request posts one never used
                                 before; if they run out the phase stops there and warns
                                 (its figure covers the seconds it ran) (smoke: 1000)
  BENCH_SAML_USERS=1000          the SAML users (NameIDs) the responses cycle through: the first
                                 sign-in of each provisions its account (jit), later ones find it
  BENCH_SAML_KEY_BITS=2048       RSA key size of the bench IdP's signing key
  BENCH_SAML_GEN_THREADS         threads signing the responses (default: the number of CPUs)
  BENCH_SAML_MIN_RPS             throughput floor of the SAML capacity phase's Gatling assertions
                                 (default BENCH_GOAL_SAML_RPS; smoke: 5)
  BENCH_GOAL_SAML_RPS=1500       goal: SAML ACS capacity, validated assertions/s (Gatling)
  BENCH_ENFORCE_GOALS=1          1: exit non-zero when a goal is not met (smoke: 0, figures only)
  BENCH_USERS                    directory size; default what the run needs, at least
                                 BENCH_MIN_USERS=100000 (smoke: 0)
  BENCH_WARMUP=30                seconds of unmeasured gateway warm-up before the uncached phases:
                                 the uncached simulation in capacity mode (N users), so a cold
                                 JVM is never offered more than it can take (smoke: 0)
  BENCH_WARMUP_JIT_MAX=60        then up to this many seconds more of wrk warm-up, in 5 s steps on
                                 users of their own, until the gateway's JIT compiler threads use
                                 less than BENCH_WARMUP_JIT_QUIET=0.02 cores in a step: a gateway
                                 still compiling is not yet the one that serves (smoke: 0; 0: none)
  BENCH_BODY=json                how credentials are posted by Gatling: json, form or basic
                                 (wrk always posts JSON)
  BENCH_GROUPS_STRATEGY          directory groups strategy (search|member-of|none); default: the
                                 server's own default (search: one group search per LDAP login)
  BENCH_JAVA_OPTS=-Xmx1g         JVM options of the authgate process (and of the hello-world server)
  BENCH_CPU_INTERVAL=0.5         seconds between CPU samples (/proc)
  BENCH_REDIS=1                  1: the gateway shares its cache and regulation through Redis, as
                                 several gateways do (a private redis-server, or BENCH_REDIS_URL);
                                 0: no Redis, both stay in the gateway's process, as one gateway
                                 runs without AUTHGATE_REDIS_URL
  BENCH_REDIS_URL                use this Redis instead of a private redis-server on a free port
  BENCH_POSTGRES_URL             use this database instead of a throw-away one created with createdb
  BENCH_PG_HOST=127.0.0.1 BENCH_PG_PORT=5432 BENCH_PG_USER=postgres   where createdb runs
  BENCH_MVN_ARGS                 extra Maven arguments for the Gatling runs (e.g. -o)
  BENCH_MVN_LOCK                 a lock file: every Maven run holds it (flock), for a checkout
                                 others build in at the same time (Gatling phases hold it throughout)
  BENCH_REBUILD=0                1: rebuild server/target/authgate.jar even if it exists
  BENCH_JAR                      the server jar to run (default server/target/authgate.jar), e.g.
                                 one built from a clean checkout of a commit
  BENCH_KEEP=0                   1: keep the temporary directory (slapd database, LDIF)
USAGE
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
WRK_SCRIPT="$SCRIPT_DIR/wrk/cached-auth.lua"
WRK_UNCACHED_SCRIPT="$SCRIPT_DIR/wrk/uncached-auth.lua"
WRK_VERIFY_SCRIPT="$SCRIPT_DIR/wrk/forward-auth.lua"
VERIFY_PATH=/v1/verify/forward-auth
JAR="${BENCH_JAR:-$REPO/server/target/authgate.jar}"

if [[ $SMOKE == 1 ]]; then
  : "${BENCH_DURATION:=3}" "${BENCH_GATLING_WARMUP:=1}" "${BENCH_UNCACHED_RATE:=100}" "${BENCH_CACHED_RATE:=200}" "${BENCH_MIN_RPS:=20}"
  : "${BENCH_AUTHRATE_DURATION:=3}" "${BENCH_AUTHRATE_WARMUP:=1}" "${BENCH_WARMUP:=0}" "${BENCH_ENFORCE_GOALS:=0}"
  : "${BENCH_WARMUP_JIT_MAX:=0}"
  : "${BENCH_MIN_USERS:=0}" "${BENCH_WRK_WARMUP:=1}" "${BENCH_ROUNDS:=1}"
  : "${BENCH_SAML_RATE:=20}" "${BENCH_SAML_MAX_RPS:=1000}" "${BENCH_SAML_MIN_RPS:=5}" "${BENCH_SAML_WARMUP:=1}"
  : "${BENCH_SAML_RATE_WARMUP:=1}"
fi
: "${BENCH_DURATION:=60}" "${BENCH_UNCACHED_RATE:=1100}" "${BENCH_CACHED_RATE:=1000}" "${BENCH_MIN_RPS:=1000}"
: "${BENCH_MAX_ERROR_PCT:=1.0}" "${BENCH_CACHED_USERS:=100}" "${BENCH_MIN_USERS:=100000}"
: "${BENCH_AUTHRATE_DURATION:=$BENCH_DURATION}" "${BENCH_AUTHRATE_WARMUP:=5}" "${BENCH_AUTHRATE_THREADS:=20}"
: "${BENCH_ROUNDS:=4}" "${BENCH_SLAPD_THREADS:=}"
: "${BENCH_UNCACHED_CONCURRENCY:=$BENCH_AUTHRATE_THREADS}" "${BENCH_UNCACHED_MAX_RPS:=15000}"
: "${BENCH_CACHED_CONCURRENCY:=64}" "${BENCH_WRK_THREADS:=$(nproc)}" "${BENCH_WRK_DURATION:=$BENCH_DURATION}"
: "${BENCH_WRK:=1}" "${BENCH_ENFORCE_GOALS:=1}" "${BENCH_WRK_WARMUP:=5}" "${BENCH_WRK_CHECK:=1}"
: "${BENCH_GOAL_UNCACHED_RATIO:=70}" "${BENCH_GOAL_CACHED_RPS:=20000}" "${BENCH_GOAL_CACHED_P99_MS:=5}"
: "${BENCH_WARMUP_JIT_MAX:=60}" "${BENCH_WARMUP_JIT_QUIET:=0.02}"
: "${BENCH_WARMUP:=30}" "${BENCH_BODY:=json}" "${BENCH_GROUPS_STRATEGY:=}" "${BENCH_JAVA_OPTS:=-Xmx1g}"
: "${BENCH_CPU_INTERVAL:=0.5}" "${BENCH_PHASES:=all}" "${BENCH_GATLING_WARMUP:=10}"
: "${BENCH_REDIS:=1}" "${BENCH_REDIS_URL:=}" "${BENCH_POSTGRES_URL:=}" "${BENCH_PG_HOST:=127.0.0.1}" "${BENCH_PG_PORT:=5432}"
: "${BENCH_PG_USER:=postgres}" "${BENCH_MVN_ARGS:=}" "${BENCH_REBUILD:=0}" "${BENCH_KEEP:=0}"
: "${BENCH_VERIFY_SESSIONS:=$BENCH_CACHED_USERS}" "${BENCH_VERIFY_CONCURRENCY:=$BENCH_CACHED_CONCURRENCY}"
: "${BENCH_WRK_VERIFY_CHECK:=0}" "${BENCH_GOAL_VERIFY_RPS:=25000}" "${BENCH_GOAL_VERIFY_HELLO_PCT:=60}"
: "${BENCH_SAML_CONCURRENCY:=64}" "${BENCH_SAML_RATE:=1500}" "${BENCH_SAML_MAX_RPS:=4000}" "${BENCH_SAML_WARMUP:=90}" "${BENCH_SAML_USERS:=1000}"
: "${BENCH_SAML_RATE_WARMUP:=40}"
: "${BENCH_SAML_KEY_BITS:=2048}" "${BENCH_SAML_GEN_THREADS:=$(nproc)}" "${BENCH_GOAL_SAML_RPS:=1500}"
: "${BENCH_SAML_MIN_RPS:=$BENCH_GOAL_SAML_RPS}"

: "${BENCH_MVN_LOCK:=}"
export BENCH_MVN_LOCK
mvn() {  # every Maven run, under BENCH_MVN_LOCK when set
  if [[ -n $BENCH_MVN_LOCK ]]; then flock "$BENCH_MVN_LOCK" mvn "$@"; else command mvn "$@"; fi
}
log() { printf '%s [bench] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
ceil_mul() { python3 -c "import math,sys; print(math.ceil(float(sys.argv[1]) * float(sys.argv[2])))" "$1" "$2"; }
now() { date +%s.%N; }

for tool in java mvn python3 curl slapd slapadd timeout; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] || die "$tool is required"
done
SLAPD=$(command -v slapd || echo /usr/sbin/slapd)
SLAPADD=$(command -v slapadd || echo /usr/sbin/slapadd)
[[ -d /usr/lib/ldap && -f /etc/ldap/schema/inetorgperson.schema ]] || die "OpenLDAP modules or schemas missing (apt-get install slapd)"
case "$BENCH_BODY" in json|form|basic) ;; *) die "BENCH_BODY must be json, form or basic" ;; esac
case "$BENCH_WRK_CHECK" in 1) WRK_CHECK=check ;; 0) WRK_CHECK=nocheck ;; *) die "BENCH_WRK_CHECK must be 1 or 0" ;; esac
if [[ $BENCH_WRK == 1 ]] && ! command -v wrk >/dev/null 2>&1; then
  [[ $SMOKE == 1 ]] || die "wrk is required for the wrk cross-checks (apt-get install -y wrk), or set BENCH_WRK=0"
  echo "$(date +%H:%M:%S) [bench] WARNING: wrk is not installed (apt-get install -y wrk); skipping the wrk phases" >&2
  BENCH_WRK=0
fi
wrk_threads() {  # wrk_threads CONNECTIONS: the most threads <= BENCH_WRK_THREADS that share CONNECTIONS evenly
  local connections=$1 threads=$BENCH_WRK_THREADS  # (wrk gives each thread connections / threads, rounded down)
  (( threads > connections )) && threads=$connections
  while (( threads > 1 && connections % threads != 0 )); do threads=$((threads - 1)); done
  echo "$threads"
}
UNCACHED_WRK_THREADS=$(wrk_threads "$BENCH_UNCACHED_CONCURRENCY")
CACHED_WRK_THREADS=$(wrk_threads "$BENCH_CACHED_CONCURRENCY")
VERIFY_WRK_THREADS=$(wrk_threads "$BENCH_VERIFY_CONCURRENCY")
case "$BENCH_WRK_VERIFY_CHECK" in 1) WRK_VERIFY_CHECK=check ;; 0) WRK_VERIFY_CHECK=nocheck ;; *) die "BENCH_WRK_VERIFY_CHECK must be 1 or 0" ;; esac
ALL_PHASES="authrate uncached-capacity uncached-wrk uncached-rate cached-capacity cached-wrk cached-rate"
ALL_PHASES+=" verify-capacity verify-wrk hello-capacity hello-wrk saml-capacity saml-rate"
[[ $BENCH_PHASES == all ]] && BENCH_PHASES=${ALL_PHASES// /,}
for phase in ${BENCH_PHASES//,/ }; do
  [[ " $ALL_PHASES " == *" $phase "* ]] || die "unknown phase in BENCH_PHASES: $phase (known: $ALL_PHASES)"
done
want() { [[ ",$BENCH_PHASES," == *",$1,"* ]]; }
want_wrk() { [[ $BENCH_WRK == 1 ]] && want "$1"; }
want_hello() { want hello-capacity || want_wrk hello-wrk; }
want_verify() { want verify-capacity || want_wrk verify-wrk || want_hello; }
want_saml() { want saml-capacity || want saml-rate; }
want_directory() {  # a phase that logs in against the directory (the SAML phases do not)
  local phase
  for phase in authrate uncached-capacity uncached-wrk uncached-rate cached-capacity cached-wrk cached-rate; do
    want "$phase" && return 0
  done
  want_verify
}

# ---- user space -----------------------------------------------------------------------------------
# Disjoint ranges: [uncached capacity (Gatling)][uncached capacity warm-up (wrk)][uncached
# capacity (wrk)][uncached constant rate][warm-up][cached]. Every uncached and warm-up request
# logs in a user of its own; the closed-model phases (capacity, warm-ups) get BENCH_UNCACHED_MAX_RPS
# users per second of load, since how many they send is what they measure.
# (The wrk ranges are reserved even when wrk does not run, so the directory's size, which
# authrate's figure depends on, does not change with BENCH_WRK or BENCH_PHASES.)
CAPACITY_USERS=$(ceil_mul "$BENCH_UNCACHED_MAX_RPS" $((BENCH_DURATION + BENCH_GATLING_WARMUP)))
WRK_WARMUP_USERS=0
[[ $BENCH_WRK_WARMUP -gt 0 ]] && WRK_WARMUP_USERS=$(ceil_mul "$BENCH_UNCACHED_MAX_RPS" "$BENCH_WRK_WARMUP")
WRK_USERS=$(ceil_mul "$BENCH_UNCACHED_MAX_RPS" "$BENCH_WRK_DURATION")
RATE_USERS=$(ceil_mul "$BENCH_UNCACHED_RATE" $((BENCH_DURATION + BENCH_GATLING_WARMUP)))
WARMUP_USERS=0
[[ $BENCH_WARMUP -gt 0 ]] && WARMUP_USERS=$(ceil_mul "$BENCH_UNCACHED_MAX_RPS" "$BENCH_WARMUP")
[[ $BENCH_WARMUP_JIT_MAX =~ ^[0-9]+$ ]] || die "BENCH_WARMUP_JIT_MAX must be a whole number of seconds (got '$BENCH_WARMUP_JIT_MAX')"
JIT_STEP=5  # seconds of each step of the JIT warm-up
JIT_STEPS=$(( (BENCH_WARMUP_JIT_MAX + JIT_STEP - 1) / JIT_STEP ))
JIT_STEP_USERS=$(ceil_mul "$BENCH_UNCACHED_MAX_RPS" "$JIT_STEP")
JIT_WARMUP_USERS=$((JIT_STEPS * JIT_STEP_USERS))
[[ $BENCH_ROUNDS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a whole number >= 1 (got '$BENCH_ROUNDS')"
[[ -z $BENCH_SLAPD_THREADS || $BENCH_SLAPD_THREADS =~ ^([2-9]|[1-9][0-9]+)$ ]] \
  || die "BENCH_SLAPD_THREADS must be a whole number >= 2, slapd's minimum (got '$BENCH_SLAPD_THREADS')"
[[ $BENCH_REDIS =~ ^[01]$ ]] || die "BENCH_REDIS must be 1 (Redis) or 0 (none) (got '$BENCH_REDIS')"
[[ $BENCH_REDIS == 1 || -z $BENCH_REDIS_URL ]] || die "BENCH_REDIS=0 runs without Redis: leave BENCH_REDIS_URL unset"
ROUNDS=1  # pairs actually run: BENCH_ROUNDS only when both phases of the pair run
if [[ $BENCH_ROUNDS -gt 1 ]]; then
  want authrate && want_wrk uncached-wrk || die "BENCH_ROUNDS=$BENCH_ROUNDS needs the phases authrate and uncached-wrk (and wrk)"
  ROUNDS=$BENCH_ROUNDS
fi
CAPACITY_FIRST=1
WRK_WARMUP_FIRST=$((CAPACITY_FIRST + CAPACITY_USERS))
WRK_FIRST=$((WRK_WARMUP_FIRST + WRK_WARMUP_USERS))
RATE_FIRST=$((WRK_FIRST + WRK_USERS))
WARMUP_FIRST=$((RATE_FIRST + RATE_USERS))
CACHED_FIRST=$((WARMUP_FIRST + WARMUP_USERS))
# Rounds 2..R of the authrate / uncached-wrk pair: a wrk warm-up range and a measured range each,
# after the cached users (so a one-round run's layout is unchanged).
ROUND_USERS=$((WRK_WARMUP_USERS + WRK_USERS))
JIT_WARMUP_FIRST=$((CACHED_FIRST + BENCH_CACHED_USERS))
ROUNDS_FIRST=$((JIT_WARMUP_FIRST + JIT_WARMUP_USERS))
NEEDED=$((ROUNDS_FIRST + (ROUNDS - 1) * ROUND_USERS - 1))
if [[ -z ${BENCH_USERS:-} ]] && ! want_directory; then
  BENCH_USERS=$BENCH_CACHED_USERS  # only SAML phases: the gateway needs a directory, the phases no user of it
elif [[ -z ${BENCH_USERS:-} ]]; then
  BENCH_USERS=$(( NEEDED > BENCH_MIN_USERS ? NEEDED : BENCH_MIN_USERS ))
elif [[ $BENCH_USERS -lt $NEEDED ]]; then
  die "BENCH_USERS=$BENCH_USERS is too small: this run needs $NEEDED users ($CAPACITY_USERS uncached capacity, $WRK_WARMUP_USERS + $WRK_USERS uncached wrk, $RATE_USERS uncached rate, $WARMUP_USERS warm-up, $BENCH_CACHED_USERS cached, $JIT_WARMUP_USERS JIT warm-up, $((ROUNDS - 1)) x $ROUND_USERS for rounds 2..$ROUNDS)"
fi

# authrate logs in random users of 1..AUTHRATE_USERS: the directory a one-round run would have, so
# the extra rounds' users (appended after it) do not change what authrate measures.
AUTHRATE_USERS=$((BENCH_USERS - (ROUNDS - 1) * ROUND_USERS))

RUN_ID="$(date +%Y%m%d-%H%M%S)$([[ $SMOKE == 1 ]] && echo -smoke || true)"
RUN_DIR="$SCRIPT_DIR/results/$RUN_ID"
mkdir -p "$RUN_DIR"
ln -sfn "$RUN_ID" "$SCRIPT_DIR/results/latest"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/authgate-bench.XXXXXX")
PHASES_TSV="$RUN_DIR/phases.tsv"
: > "$PHASES_TSV"

# ---- cleanup: stop everything we started, newest first ------------------------------------------
PIDS=()        # process-group leaders we started
PID_NAMES=()
CREATED_DB=""

stop_group() {  # stop_group PID NAME: TERM the process group, KILL it after 15 s
  local pid=$1 name=$2 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
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
    [[ -n ${PIDS[$i]} ]] && stop_group "${PIDS[$i]}" "${PID_NAMES[$i]}"
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

wait_bg() {  # wait_bg PID: wait for a background job, forget it, return its exit status
  local rc=0 i
  wait "$1" || rc=$?
  for i in "${!PIDS[@]}"; do
    [[ ${PIDS[$i]} == "$1" ]] && PIDS[$i]=""
  done
  return "$rc"
}

free_port() { python3 "$TOOLS" free-port; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

log "run $RUN_ID: results in $RUN_DIR"
log "load average before start: $(loadavg) on $(nproc) CPUs"
[[ $SMOKE == 1 ]] && log "SMOKE run: short phases to check the wiring; its figures are not a benchmark"

# CPU of every process group, sampled from /proc for the whole run (bounded: 4 hours at most).
start_bg "cpu sampler" "$RUN_DIR/cpu-sampler.log" python3 "$TOOLS" cpu-sampler "$RUN_DIR/cpu.jsonl" "$BENCH_CPU_INTERVAL" 14400

# What the run ran on, for the write-up (docs/BENCHMARKS.md).
{
  echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1) ($(nproc) CPUs)"
  echo "memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "os: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "jdk: $(java -version 2>&1 | head -1)"
  echo "openldap: $("$SLAPD" -VV 2>&1 | sed -n 's/.*\(slapd [^ ]*\).*/\1/p' | head -1)"
  if [[ $BENCH_REDIS == 1 ]]; then echo "redis: $(redis-server --version 2>/dev/null | cut -d' ' -f1-3)"; else echo "redis: none (BENCH_REDIS=0)"; fi
  echo "postgresql: $(psql --version 2>/dev/null)"
  echo "gatling: $(sed -n 's:.*<gatling.version>\(.*\)</gatling.version>.*:\1:p' "$REPO/pom.xml" | head -1)"
  echo "wrk: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "authgate commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  [[ -n ${BENCH_JAR:-} ]] && echo "server jar: $JAR (BENCH_JAR: the commit above is the benchmark's own, not the server's)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
} > "$RUN_DIR/environment.txt" 2>/dev/null || true

# ---- (a) build ------------------------------------------------------------------------------------
if [[ ! -f $JAR || $BENCH_REBUILD == 1 ]]; then
  log "building the server (mvn install -DskipTests)"
  (cd "$REPO" && mvn -B -q install -DskipTests) > "$RUN_DIR/build.log" 2>&1 || { tail -40 "$RUN_DIR/build.log" >&2; die "build failed, see $RUN_DIR/build.log"; }
fi
log "compiling the simulations"
# shellcheck disable=SC2086
(cd "$REPO" && mvn -B -q $BENCH_MVN_ARGS -pl load-tests test-compile) > "$RUN_DIR/compile.log" 2>&1 \
  || { tail -40 "$RUN_DIR/compile.log" >&2; die "load-tests do not compile, see $RUN_DIR/compile.log"; }
if want_hello; then
  # The hello-world server's classpath: its main scope only (Vert.x, netty, epoll), without the
  # netty extras Gatling drags in (io_uring, tcnative, macOS DNS): the gateway has none of them, and
  # with epoll available Vert.x picks epoll either way.
  # shellcheck disable=SC2086
  (cd "$REPO" && mvn -B -q $BENCH_MVN_ARGS -pl load-tests dependency:build-classpath -DincludeScope=runtime \
    -DexcludeArtifactIds=netty-transport-native-io_uring,netty-transport-classes-io_uring,netty-tcnative-boringssl-static,netty-tcnative-classes,netty-resolver-dns-native-macos,netty-resolver-dns-classes-macos \
    -Dmdep.outputFile="$RUN_DIR/hello-classpath.txt") >> "$RUN_DIR/compile.log" 2>&1 \
    || { tail -40 "$RUN_DIR/compile.log" >&2; die "no classpath for the hello-world server, see $RUN_DIR/compile.log"; }
  HELLO_CP="$SCRIPT_DIR/target/classes:$(cat "$RUN_DIR/hello-classpath.txt")"
fi
if want_saml; then
  # The bench IdP (SamlResponseGenerator): this module's main classes and runtime dependencies
  # (OpenSAML, Santuario, BouncyCastle), in a JVM of its own.
  # shellcheck disable=SC2086
  (cd "$REPO" && mvn -B -q $BENCH_MVN_ARGS -pl load-tests dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="$RUN_DIR/saml-classpath.txt") >> "$RUN_DIR/compile.log" 2>&1 \
    || { tail -40 "$RUN_DIR/compile.log" >&2; die "no classpath for the SAML response generator, see $RUN_DIR/compile.log"; }
  SAML_CP="$SCRIPT_DIR/target/classes:$(cat "$RUN_DIR/saml-classpath.txt")"
fi

# ---- (b) directory: slapd with an mdb database on a free port -------------------------------------
BASE_DN="dc=bench,dc=local"
PEOPLE_DN="ou=people,$BASE_DN"
SERVICE_DN="cn=authgate,ou=services,$BASE_DN"
USER_PASSWORD="bench-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
SERVICE_PASSWORD="svc-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
LDAP_PORT=$(free_port)
mkdir -p "$WORK/ldap-data"

# mdb's map is a ceiling, not an allocation (the file is sparse): about 1 KB per user is used, so
# allow 2 KiB each, and never less than 4 GiB.
MDB_MAXSIZE=$(( BENCH_USERS * 2048 > 4294967296 ? BENCH_USERS * 2048 : 4294967296 ))
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
${BENCH_SLAPD_THREADS:+threads $BENCH_SLAPD_THREADS}

database mdb
maxsize $MDB_MAXSIZE
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
[[ $BENCH_KEEP == 1 ]] || rm -f "$WORK/users.ldif"  # up to a few hundred MB, no longer needed
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

# ---- phases: bookkeeping ----------------------------------------------------------------------------
OVERALL_RC=0
PHASE_START=0
PHASE_LOAD=""

phase_begin() {  # phase_begin NAME: note the time and load average, scrape /metrics if the gateway is up
  PHASE_START=$(now)
  PHASE_LOAD=$(loadavg)
  if [[ -n ${BASE_URL:-} ]]; then
    python3 "$TOOLS" scrape "$BASE_URL/metrics" "$RUN_DIR/metrics-before-$1.txt" || true
  fi
}

phase_end() {  # phase_end NAME TOOL LABEL LOAD EXIT PGID: scrape /metrics, record the phase
  local name=$1 tool=$2 label=$3 load=$4 rc=$5 pgid=$6
  if [[ -n ${BASE_URL:-} ]]; then
    python3 "$TOOLS" scrape "$BASE_URL/metrics" "$RUN_DIR/metrics-after-$name.txt" || true
    kill -0 "$AUTHGATE_PID" 2>/dev/null || log "WARNING: authgate is no longer running"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$tool" "$label" "$load" "$rc" "$PHASE_START" "$(now)" \
    "$pgid" "$PHASE_LOAD" >> "$PHASES_TSV"
}

# ---- (c) phase 1: authrate, search-then-bind flat out with N threads ------------------------------
find_sdk() {  # the newest UnboundID LDAP SDK jar in the local Maven repository, if any
  local f found=""
  for f in "$HOME"/.m2/repository/com/unboundid/unboundid-ldapsdk/*/unboundid-ldapsdk-*.jar; do
    [[ -f $f && $f != *-sources.jar && $f != *-javadoc.jar ]] && found=$f
  done
  printf '%s' "$found"
}
SDK_JAR=$(find_sdk)
if [[ -z $SDK_JAR ]]; then
  log "fetching the UnboundID LDAP SDK"
  (cd "$REPO" && mvn -B -q dependency:get -Dartifact=com.unboundid:unboundid-ldapsdk:7.0.5) >/dev/null 2>&1 || true
  SDK_JAR=$(find_sdk)
fi
[[ -n $SDK_JAR ]] || die "UnboundID LDAP SDK jar not found in ~/.m2"
AUTHRATE_CLASS=$(python3 - "$SDK_JAR" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
for cls in ("com.unboundid.ldap.sdk.examples.AuthRate", "com.unboundid.ldap.sdk.unboundidds.tools.AuthRate"):
    if cls.replace(".", "/") + ".class" in names:
        print(cls)
        break
PY
)
[[ -n $AUTHRATE_CLASS ]] || die "no AuthRate class in $SDK_JAR"
echo "authrate: UnboundID LDAP SDK $(basename "$SDK_JAR" .jar | sed 's/^unboundid-ldapsdk-//')" >> "$RUN_DIR/environment.txt"

run_authrate() {  # run_authrate NAME LABEL: authrate flat out, recorded as phase NAME (output NAME.csv); returns its status
  local name=$1 label=$2 rc=0 rate pgid
  log "phase $name: $BENCH_AUTHRATE_THREADS threads flat out, ${BENCH_AUTHRATE_WARMUP}s warm-up + ${BENCH_AUTHRATE_DURATION}s measured (load avg $(loadavg))"
  phase_begin "$name"
  start_bg "$name" "$RUN_DIR/$name.csv" timeout -k 10 $((BENCH_AUTHRATE_WARMUP + BENCH_AUTHRATE_DURATION + 120)) \
    java -cp "$SDK_JAR" "$AUTHRATE_CLASS" \
    -h 127.0.0.1 -p "$LDAP_PORT" -D "$SERVICE_DN" -w "$SERVICE_PASSWORD" \
    -b "$PEOPLE_DN" -s sub -f "(|(uid=user[1-$AUTHRATE_USERS])(mail=user[ref:1]))" \
    -A uid -A mail -A displayName -A cn -A pwdAccountLockedTime --passwordPolicyRequestControl \
    -C "$USER_PASSWORD" -t "$BENCH_AUTHRATE_THREADS" -i 1 \
    -I "$BENCH_AUTHRATE_DURATION" --warmUpIntervals "$BENCH_AUTHRATE_WARMUP" -c
  pgid=$LAST_PID
  wait_bg "$LAST_PID" || rc=$?
  rate=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d.get('overall_auths_per_sec','n/a'))" \
    "$(python3 "$TOOLS" authrate "$RUN_DIR/$name.csv")")
  if [[ $rc != 0 || $rate == n/a ]]; then
    log "$name failed (exit $rc): $(head -3 "$RUN_DIR/$name.csv" | tr '\n' ' ')"
    [[ $rc != 0 ]] || rc=1
  else
    log "$name: $rate auths/s"
  fi
  phase_end "$name" authrate "$label" "closed, $BENCH_AUTHRATE_THREADS threads" "$rc" "$pgid"
  return "$rc"
}

AUTHRATE_RC=0
if want authrate; then
  run_authrate authrate "authrate (LDAP only)" || { AUTHRATE_RC=$?; OVERALL_RC=1; }
fi

# ---- (d) authgate against that slapd, Redis and PostgreSQL ----------------------------------------
if [[ $BENCH_REDIS == 0 ]]; then
  log "no Redis (BENCH_REDIS=0): the gateway keeps its cache and regulation in process"
elif [[ -z $BENCH_REDIS_URL ]]; then
  command -v redis-server >/dev/null 2>&1 || die "redis-server not found; set BENCH_REDIS_URL"
  REDIS_PORT=$(free_port)
  start_bg redis "$RUN_DIR/redis.log" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' \
    --appendonly no --dir "$WORK" --daemonize no
  REDIS_PGID=$LAST_PID
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
  AUTHGATE_HTTP_HOST=127.0.0.1
  AUTHGATE_HTTP_PORT="$HTTP_PORT"
  AUTHGATE_ADMIN_PORT="$ADMIN_PORT"
  AUTHGATE_CACHE_HMAC_KEY="$HMAC_KEY"
  AUTHGATE_HTTP_TRUSTED_PROXIES=127.0.0.1  # the verify phases' X-Forwarded-* come from 127.0.0.1, as from a proxy
  AUTHGATE_ROLES=gateway
  AUTHGATE_LOG_LEVEL=WARN
)
# Every uncached login leaves a cache entry in Redis for longer than a run lasts: the gateway's
# Redis key index is sized to follow one per directory user (the default, 2,000,000, is for real
# user populations; a full run of four rounds makes some 5 million), as an operator would size it.
[[ $BENCH_REDIS == 1 ]] && authgate_env+=(AUTHGATE_REDIS_URL="$BENCH_REDIS_URL"
  AUTHGATE_REDIS_KEY_INDEX_MAX_KEYS=$(( BENCH_USERS > 2000000 ? BENCH_USERS + 100000 : 2000000 )))
[[ -n $BENCH_GROUPS_STRATEGY ]] && authgate_env+=(AUTHGATE_DIRECTORIES_0_GROUPS_STRATEGY="$BENCH_GROUPS_STRATEGY")

# The SAML phases: a bench IdP of its own (a fresh RSA key, its metadata) trusted by the gateway
# through a configuration file (AUTHGATE_CONFIG): IdP-initiated sign-in allowed (the responses
# answer no AuthnRequest), just-in-time provisioning on, the SP's keys given (none generated).
SAML_IDP_ENTITY_ID=https://idp.bench.local/metadata
if want_saml; then
  SAML_DIR="$WORK/saml"
  mkdir -p "$SAML_DIR"
  chmod 700 "$SAML_DIR"
  log "bench IdP: a fresh RSA-$BENCH_SAML_KEY_BITS key and its metadata"
  java -cp "$SAML_CP" io.authgate.loadtests.saml.SamlResponseGenerator keys "$SAML_DIR" "$SAML_IDP_ENTITY_ID" \
    "$BENCH_SAML_KEY_BITS" > "$RUN_DIR/saml-keys.log" 2>&1 || { cat "$RUN_DIR/saml-keys.log" >&2; die "the bench IdP's keys could not be made"; }
  cp "$SAML_DIR/idp-metadata.xml" "$RUN_DIR/saml-idp-metadata.xml"
  SAML_SP_ENTITY_ID="$BASE_URL/saml/metadata"
  SAML_ACS_URL="$BASE_URL/saml/acs"
  cat > "$SAML_DIR/authgate.yaml" <<EOF
# written by load-tests/bench.sh for the SAML phases
saml:
  baseUrl: $BASE_URL
  signingKey: $SAML_DIR/sp-key.pem
  signingCertificate: $SAML_DIR/sp-cert.pem
  idps:
    - id: bench
      displayName: Bench IdP
      metadataFile: $SAML_DIR/idp-metadata.xml
      attributes: { preset: custom, email: email, displayName: displayName, groups: groups }
      jit: true
      allowIdpInitiated: true
EOF
  cp "$SAML_DIR/authgate.yaml" "$RUN_DIR/saml-authgate.yaml"
  authgate_env+=(AUTHGATE_CONFIG="$SAML_DIR/authgate.yaml")
fi

log "starting authgate on $BASE_URL ($BENCH_JAVA_OPTS)"
# shellcheck disable=SC2086
start_bg authgate "$RUN_DIR/authgate.log" env -u AUTHGATE_REDIS_URL "${authgate_env[@]}" java $BENCH_JAVA_OPTS -jar "$JAR"
AUTHGATE_PID=$LAST_PID
ready=0
# Each probe gives up after 2 s: a connection made in the instant the port opens can go unanswered
# (Vert.x 5.0.8 sets the connection's metric only once the server's metrics exist; see BENCHMARKS.md).
for ((i = 0; i < 240; i++)); do
  kill -0 "$AUTHGATE_PID" 2>/dev/null || { tail -40 "$RUN_DIR/authgate.log" >&2; die "authgate exited during start-up"; }
  if [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$BASE_URL/health/ready" || true) == 200 ]]; then
    ready=1; break
  fi
  sleep 0.5
done
[[ $ready == 1 ]] || { tail -40 "$RUN_DIR/authgate.log" >&2; die "authgate not ready after 120 s"; }
log "authgate ready"

# ---- (e) the gateway's phases -------------------------------------------------------------------------
run_gatling() {  # run_gatling NAME LABEL CLASS MODE RATE|CONCURRENCY USERS FIRST_USER ASSERT MIN_RPS [DURATION [-Dextra...]]
  # (PHASE_WARMUP overrides the silent warm-up; PHASE_BASE_URL points it at another server than the
  # gateway, without the gateway's /metrics snapshot at the start of the measured load)
  local name=$1 label=$2 class=$3 mode=$4 amount=$5 users=$6 first=$7 assert=$8 min_rps=$9
  local duration=${10:-$BENCH_DURATION} warmup=${PHASE_WARMUP:-$BENCH_GATLING_WARMUP}
  local base_url=${PHASE_BASE_URL:-$BASE_URL} metrics_args=()
  shift 10 2>/dev/null || shift $#
  local extra=("$@") logfile="$RUN_DIR/gatling-$name.log" rc=0 load load_args pgid
  [[ -n ${PHASE_BASE_URL:-} ]] || metrics_args=(-Dmetrics.start.file="$RUN_DIR/metrics-start-$name.txt")
  if [[ $mode == capacity ]]; then
    load="closed, $amount users"
    load_args=(-Dconcurrency="$amount")
  else
    load="open, $amount/s"
    load_args=(-Drate="$amount")
  fi
  log "phase $name: $label, $class $load for ${warmup}s silent + ${duration}s, users $first..$((first + users - 1)) (load avg $(loadavg))"
  phase_begin "$name"
  # shellcheck disable=SC2086
  start_bg "gatling ($name)" "$logfile" timeout -k 30 $((warmup + duration + 300)) \
    bash -c 'cd "$1" && shift && if [[ -n $BENCH_MVN_LOCK ]]; then exec flock "$BENCH_MVN_LOCK" mvn -B "$@"; else exec mvn -B "$@"; fi' \
    _ "$REPO" $BENCH_MVN_ARGS \
    -pl load-tests gatling:test \
    -Dgatling.simulationClass="io.authgate.loadtests.$class" \
    -Dgatling.resultsFolder="$RUN_DIR/gatling/$name" \
    -Dgatling.runDescription="authgate bench $RUN_ID $name" \
    -Dbase.url="$base_url" -Dmode="$mode" "${load_args[@]}" -Dduration="$duration" -Dwarmup="$warmup" -Dusers="$users" \
    -Dfirst.user="$first" -Dpassword="$USER_PASSWORD" -Dbody="$BENCH_BODY" -Dmin.rps="$min_rps" \
    -Dmax.error.pct="$BENCH_MAX_ERROR_PCT" -Dassertions="$assert" \
    "${metrics_args[@]}" "${extra[@]}"
  pgid=$LAST_PID
  wait_bg "$LAST_PID" || rc=$?
  phase_end "$name" gatling "$label" "$load" "$rc" "$pgid"
  # (Gatling's own "mean throughput" is left out: it divides by the whole run, silent warm-up included)
  grep -iE '^(Global: |> (request count|response time (50|95|99)th))|^BENCH-(USERS|WARNING)|feeder is now empty' "$logfile" \
    | sed 's/^/    /' || true
  local used
  used=$(sed -n 's/^BENCH-USERS used \([0-9]*\) of \([0-9]*\).*/\1 \2/p' "$logfile" | tail -1)
  if [[ $mode == capacity && -n $used ]] && (( ${used% *} * 10 > ${used#* } * 8 )); then
    log "WARNING: $name used ${used% *} of its ${used#* } users; raise BENCH_UNCACHED_MAX_RPS before it runs out"
  fi
  if [[ $rc != 0 ]]; then
    log "$name: Gatling exited with $rc (assertions failed or the run broke; see $logfile)"
    grep -E '^\[ERROR\] .+|Exception' "$logfile" | head -4 | sed 's/^/    /' || true
  fi
  return "$rc"
}

run_wrk() {  # run_wrk NAME LABEL SCRIPT CONNECTIONS THREADS SCRIPT_ARGS...: a measured wrk phase
  # (PHASE_URL: the URL to load, default the gateway's /v1/auth)
  local name=$1 label=$2 script=$3 connections=$4 threads=$5 rc=0 pgid verdict
  local logfile="$RUN_DIR/wrk-$name.log" url=${PHASE_URL:-$BASE_URL/v1/auth}
  shift 5
  log "phase $name: $label, wrk $(basename "$script") -t$threads -c$connections -d${BENCH_WRK_DURATION}s (load avg $(loadavg))"
  phase_begin "$name"
  start_bg "wrk ($name)" "$logfile" timeout -k 10 $((BENCH_WRK_DURATION + 60)) \
    wrk -t "$threads" -c "$connections" -d "${BENCH_WRK_DURATION}s" --timeout 10s --latency \
    -s "$script" "$url" -- "$@"
  pgid=$LAST_PID
  wait_bg "$LAST_PID" || rc=$?
  phase_end "$name" wrk "$label" "closed, $connections connections" "$rc" "$pgid"
  grep -E '^\s+(Latency|Req/Sec) |requests in|Requests/sec|Non-2xx|Socket errors|^WRK-WARNING' "$logfile" | sed 's/^ */    /' || true
  if [[ $rc != 0 ]]; then
    log "$name: wrk exited with $rc; see $logfile"
    return "$rc"
  fi
  # The phase's check: under BENCH_MAX_ERROR_PCT failed answers, and no thread out of users.
  verdict=$(python3 "$TOOLS" wrk-check "$logfile" "$BENCH_MAX_ERROR_PCT") && rc=0 || rc=$?
  log "$name: $verdict"
  return "$rc"
}

if [[ $BENCH_WARMUP -gt 0 ]] && { want uncached-capacity || want_wrk uncached-wrk || want uncached-rate; }; then
  PHASE_WARMUP=0 run_gatling warmup "warm-up (not measured)" UncachedAuthSimulation capacity "$BENCH_UNCACHED_CONCURRENCY" \
    "$WARMUP_USERS" "$WARMUP_FIRST" false "$BENCH_MIN_RPS" "$BENCH_WARMUP" || log "warm-up failed; measuring anyway"
  sed -i '/^warmup\t/d' "$PHASES_TSV"  # not a measurement: keep it out of the summary
fi

# Then wrk in short steps until the gateway's JIT compiler is (nearly) idle: compiling takes a
# minute or more of load on a slow machine, and a phase measured meanwhile measures the compiler
# too (docs/BENCHMARKS.md). Steps stop at BENCH_WARMUP_JIT_MAX seconds whatever the compiler does.
WARMUP_JIT_SECONDS=0
WARMUP_JIT_CORES=None  # (a Python literal: it goes into run.json through the summary script below)
if [[ $JIT_STEPS -gt 0 && $BENCH_WRK == 1 ]] && { want uncached-capacity || want_wrk uncached-wrk || want uncached-rate; }; then
  jit_quiet=0
  log "warm-up: wrk in ${JIT_STEP}s steps until the gateway's JIT compiler uses under $BENCH_WARMUP_JIT_QUIET cores (at most ${BENCH_WARMUP_JIT_MAX}s)"
  for ((step = 0; step < JIT_STEPS; step++)); do
    step_first=$((JIT_WARMUP_FIRST + step * JIT_STEP_USERS))
    jit0=$(python3 "$TOOLS" jit-seconds "$AUTHGATE_PID"); t0=$(now)
    timeout -k 10 $((JIT_STEP + 60)) wrk -t "$UNCACHED_WRK_THREADS" -c "$BENCH_UNCACHED_CONCURRENCY" -d "${JIT_STEP}s" \
      --timeout 10s -s "$WRK_UNCACHED_SCRIPT" "$BASE_URL/v1/auth" -- "$step_first" "$JIT_STEP_USERS" "$USER_PASSWORD" \
      "$UNCACHED_WRK_THREADS" nocheck >> "$RUN_DIR/wrk-jit-warmup.log" 2>&1 || log "warm-up: wrk exited with $?; see wrk-jit-warmup.log"
    jit1=$(python3 "$TOOLS" jit-seconds "$AUTHGATE_PID"); t1=$(now)
    WARMUP_JIT_SECONDS=$(( (step + 1) * JIT_STEP ))
    WARMUP_JIT_CORES=$(python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) / (float(sys.argv[4]) - float(sys.argv[3])), 3))" "$jit0" "$jit1" "$t0" "$t1")
    log "warm-up: ${WARMUP_JIT_SECONDS}s, the JIT compiler used $WARMUP_JIT_CORES cores, the gateway answered $(sed -n 's/^Requests\/sec: *//p' "$RUN_DIR/wrk-jit-warmup.log" | tail -1)/s"
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$WARMUP_JIT_CORES" "$BENCH_WARMUP_JIT_QUIET"; then
      jit_quiet=1
      break
    fi
  done
  [[ $jit_quiet == 1 ]] || log "WARNING: the gateway's JIT compiler still used $WARMUP_JIT_CORES cores after ${WARMUP_JIT_SECONDS}s of wrk warm-up; measuring anyway (raise BENCH_WARMUP_JIT_MAX)"
fi

# Phase 2: uncached capacity, N virtual users flat out, a fresh user per request.
want uncached-capacity && { run_gatling uncached-capacity "gateway uncached, capacity" UncachedAuthSimulation capacity \
  "$BENCH_UNCACHED_CONCURRENCY" "$CAPACITY_USERS" "$CAPACITY_FIRST" true "$BENCH_MIN_RPS" || OVERALL_RC=1; }

# Phase 2b: uncached capacity with wrk: N keep-alive connections flat out, a fresh user per request,
# the same closed model as authrate and phase 2 with a far lighter client. First a short unmeasured
# wrk run on users of its own (connections, the client's and the server's first requests).
run_uncached_wrk() {  # run_uncached_wrk NAME LABEL WARMUP_FIRST FIRST: wrk warm-up on users of its own, then the measured phase
  local name=$1 label=$2 warmup_first=$3 first=$4
  if [[ $BENCH_WRK_WARMUP -gt 0 ]]; then
    log "phase $name: ${BENCH_WRK_WARMUP}s of wrk warm-up (not measured), users $warmup_first..$((warmup_first + WRK_WARMUP_USERS - 1))"
    start_bg "wrk ($name warm-up)" "$RUN_DIR/wrk-$name-warmup.log" timeout -k 10 $((BENCH_WRK_WARMUP + 60)) \
      wrk -t "$UNCACHED_WRK_THREADS" -c "$BENCH_UNCACHED_CONCURRENCY" -d "${BENCH_WRK_WARMUP}s" --timeout 10s \
      -s "$WRK_UNCACHED_SCRIPT" "$BASE_URL/v1/auth" -- "$warmup_first" "$WRK_WARMUP_USERS" "$USER_PASSWORD" \
      "$UNCACHED_WRK_THREADS" "$WRK_CHECK"
    wait_bg "$LAST_PID" || log "$name warm-up: wrk exited with $?; measuring anyway (see wrk-$name-warmup.log)"
    sed -n 's/^\(Requests\/sec\|WRK-WARNING\)/    warm-up &/p' "$RUN_DIR/wrk-$name-warmup.log" || true
  fi
  log "phase $name: users $first..$((first + WRK_USERS - 1)), $UNCACHED_WRK_THREADS threads with $((WRK_USERS / UNCACHED_WRK_THREADS)) each"
  run_wrk "$name" "$label" "$WRK_UNCACHED_SCRIPT" "$BENCH_UNCACHED_CONCURRENCY" "$UNCACHED_WRK_THREADS" \
    "$first" "$WRK_USERS" "$USER_PASSWORD" "$UNCACHED_WRK_THREADS" "$WRK_CHECK"
}
if want_wrk uncached-wrk; then
  run_uncached_wrk uncached-wrk "gateway uncached, capacity" "$WRK_WARMUP_FIRST" "$WRK_FIRST" || OVERALL_RC=1
fi

# Rounds 2..R (BENCH_ROUNDS): the pair again, back to back, each on users of its own; the summary
# judges the uncached goal on the median of the rounds' shares.
for ((round = 2; round <= ROUNDS; round++)); do
  round_first=$((ROUNDS_FIRST + (round - 2) * ROUND_USERS))
  run_authrate "authrate-r$round" "authrate (LDAP only), round $round" || OVERALL_RC=1
  run_uncached_wrk "uncached-wrk-r$round" "gateway uncached, capacity, round $round" "$round_first" \
    "$((round_first + WRK_WARMUP_USERS))" || OVERALL_RC=1
done

# Phase 3: uncached at a constant offered rate, the >= BENCH_MIN_RPS assertion.
want uncached-rate && { run_gatling uncached-rate "gateway uncached, constant rate" UncachedAuthSimulation rate \
  "$BENCH_UNCACHED_RATE" "$RATE_USERS" "$RATE_FIRST" true "$BENCH_MIN_RPS" || OVERALL_RC=1; }

if want cached-capacity || want cached-wrk || want cached-rate; then
  # Phase 4: pre-warm the cache, one successful (LDAP) login per cached user.
  log "phase prewarm: one login for each of users $CACHED_FIRST..$((CACHED_FIRST + BENCH_CACHED_USERS - 1))"
  phase_begin prewarm
  PREWARM_RC=0
  start_bg prewarm "$RUN_DIR/prewarm.log" timeout -k 10 300 \
    python3 "$TOOLS" prewarm "$BASE_URL" "$CACHED_FIRST" "$BENCH_CACHED_USERS" "$USER_PASSWORD" "$BENCH_BODY" "$RUN_DIR/prewarm.json"
  PREWARM_PGID=$LAST_PID
  wait_bg "$LAST_PID" || PREWARM_RC=$?
  PREWARMED_AT=$(date +%s)
  phase_end prewarm prewarm "cache pre-warm" "$BENCH_CACHED_USERS logins" "$PREWARM_RC" "$PREWARM_PGID"
  sed 's/^/    /' "$RUN_DIR/prewarm.log"
  [[ $PREWARM_RC == 0 ]] || { log "pre-warm failed: the cached phases will include LDAP logins"; OVERALL_RC=1; }

  warn_if_stale() {  # the cached phases are only cache hits while the pre-warmed entries are fresh
    local age=$(( $(date +%s) - PREWARMED_AT + ${1:-0} ))
    [[ $age -lt 290 ]] || log "WARNING: the pre-warmed entries will be ${age}s old by the end of this phase (cache freshness: 300 s by default); expect LDAP logins in it"
  }

  # Phase 5: cached capacity with Gatling.
  if want cached-capacity; then
    warn_if_stale "$BENCH_DURATION"
    run_gatling cached-capacity "gateway cached, capacity" CachedAuthSimulation capacity \
      "$BENCH_CACHED_CONCURRENCY" "$BENCH_CACHED_USERS" "$CACHED_FIRST" true "$BENCH_MIN_RPS" "$BENCH_DURATION" \
      -Dprewarm=false || OVERALL_RC=1
  fi

  # Phase 6: cached capacity with wrk: the same users, connections and duration, a lighter client.
  if want_wrk cached-wrk; then
    warn_if_stale "$BENCH_WRK_DURATION"
    run_wrk cached-wrk "gateway cached, capacity" "$WRK_SCRIPT" "$BENCH_CACHED_CONCURRENCY" "$CACHED_WRK_THREADS" \
      "$CACHED_FIRST" "$BENCH_CACHED_USERS" "$USER_PASSWORD" || OVERALL_RC=1
  fi

  # Phase 7: cached at a constant offered rate, for the latency. Its throughput check is "kept up
  # with the offered rate" (99% of it); the floor of the cached path is asserted by phase 5.
  if want cached-rate; then
    warn_if_stale "$BENCH_DURATION"
    run_gatling cached-rate "gateway cached, constant rate" CachedAuthSimulation rate \
      "$BENCH_CACHED_RATE" "$BENCH_CACHED_USERS" "$CACHED_FIRST" true \
      "$(python3 -c "import sys; print(round(float(sys.argv[1]) * 0.99, 3))" "$BENCH_CACHED_RATE")" "$BENCH_DURATION" \
      -Dprewarm=false || OVERALL_RC=1
  fi
fi  # cached phases

# ---- the verify path, and its baseline ------------------------------------------------------------
wrk_warmup() {  # wrk_warmup NAME URL: BENCH_WRK_WARMUP s of the verify/hello wrk load, not measured
  [[ $BENCH_WRK_WARMUP -gt 0 ]] || return 0
  log "phase $1: ${BENCH_WRK_WARMUP}s of wrk warm-up (not measured)"
  start_bg "wrk ($1 warm-up)" "$RUN_DIR/wrk-$1-warmup.log" timeout -k 10 $((BENCH_WRK_WARMUP + 60)) \
    wrk -t "$VERIFY_WRK_THREADS" -c "$BENCH_VERIFY_CONCURRENCY" -d "${BENCH_WRK_WARMUP}s" --timeout 10s \
    -s "$WRK_VERIFY_SCRIPT" "$2" -- "$SESSIONS_FILE" nocheck
  wait_bg "$LAST_PID" || log "$1 warm-up: wrk exited with $?; measuring anyway (see wrk-$1-warmup.log)"
  sed -n 's/^\(Requests\/sec\|Non-2xx\)/    warm-up &/p' "$RUN_DIR/wrk-$1-warmup.log" || true
}

HELLO_PGID=0
HELLO_DESCRIPTION=""
if want_verify; then
  # Phase 8: open the sessions the verify phases send (the first BENCH_VERIFY_SESSIONS cached
  # users; a login each, with "session": true), and verify each once. The tokens stay in the
  # temporary folder; the hello phases send the same ones, so both carry the same requests.
  SESSIONS_FILE="$WORK/sessions.tokens"
  log "phase sessions: one session for each of users $CACHED_FIRST..$((CACHED_FIRST + BENCH_VERIFY_SESSIONS - 1)), each verified once"
  phase_begin sessions
  SESSIONS_RC=0
  start_bg sessions "$RUN_DIR/sessions.log" timeout -k 10 300 \
    python3 "$TOOLS" sessions "$BASE_URL" "$CACHED_FIRST" "$BENCH_VERIFY_SESSIONS" "$USER_PASSWORD" "$VERIFY_PATH" \
    "$SESSIONS_FILE" "$RUN_DIR/sessions.json"
  SESSIONS_PGID=$LAST_PID
  wait_bg "$LAST_PID" || SESSIONS_RC=$?
  phase_end sessions sessions "sessions opened" "$BENCH_VERIFY_SESSIONS logins" "$SESSIONS_RC" "$SESSIONS_PGID"
  sed 's/^/    /' "$RUN_DIR/sessions.log"
  [[ $SESSIONS_RC == 0 ]] || { log "sessions failed: the verify phases will see failures"; OVERALL_RC=1; }
  [[ -s $SESSIONS_FILE ]] || log "WARNING: no session was opened"

  # Phase 9: verify capacity with Gatling: N virtual users flat out, a random session each request.
  if want verify-capacity; then
    run_gatling verify-capacity "gateway verify, capacity" VerifySimulation capacity \
      "$BENCH_VERIFY_CONCURRENCY" "$BENCH_VERIFY_SESSIONS" "$CACHED_FIRST" true "$BENCH_MIN_RPS" "$BENCH_DURATION" \
      -Dsessions.file="$SESSIONS_FILE" -Dverify.path="$VERIFY_PATH" || OVERALL_RC=1
  fi

  # Phase 10: verify capacity with wrk: the same requests, connections and duration, cycling
  # through the sessions.
  if want_wrk verify-wrk; then
    wrk_warmup verify-wrk "$BASE_URL$VERIFY_PATH"
    PHASE_URL="$BASE_URL$VERIFY_PATH" run_wrk verify-wrk "gateway verify, capacity" "$WRK_VERIFY_SCRIPT" \
      "$BENCH_VERIFY_CONCURRENCY" "$VERIFY_WRK_THREADS" "$SESSIONS_FILE" "$WRK_VERIFY_CHECK" Remote-User || OVERALL_RC=1
  fi

  if want_hello; then
    # The baseline: Vert.x HTTP alone, in a JVM of its own with the gateway's JVM options, the same
    # Vert.x, transport and instance count (HelloWorldServer.java). The gateway stays up, idle.
    HELLO_PORT=$(free_port)
    while [[ $HELLO_PORT == "$HTTP_PORT" || $HELLO_PORT == "$ADMIN_PORT" ]]; do HELLO_PORT=$(free_port); done
    HELLO_URL="http://127.0.0.1:$HELLO_PORT"
    log "starting the hello-world server on $HELLO_URL ($BENCH_JAVA_OPTS)"
    # shellcheck disable=SC2086
    start_bg "hello world" "$RUN_DIR/hello.log" java $BENCH_JAVA_OPTS -cp "$HELLO_CP" \
      io.authgate.loadtests.HelloWorldServer "$HELLO_PORT" 127.0.0.1
    HELLO_PGID=$LAST_PID
    ready=0
    for ((i = 0; i < 120; i++)); do
      kill -0 "$HELLO_PGID" 2>/dev/null || { tail -20 "$RUN_DIR/hello.log" >&2; break; }
      if grep -q '^HELLO-READY' "$RUN_DIR/hello.log" && [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$HELLO_URL/" || true) == 200 ]]; then
        ready=1; break
      fi
      sleep 0.5
    done
    if [[ $ready == 1 ]]; then
      HELLO_DESCRIPTION="$(sed -n 's/^HELLO-READY //p' "$RUN_DIR/hello.log" | head -1), Vert.x $(sed -n 's:.*<vertx.version>\(.*\)</vertx.version>.*:\1:p' "$REPO/pom.xml" | head -1)"
      log "hello-world server ready: $HELLO_DESCRIPTION"
      echo "hello world baseline: $HELLO_DESCRIPTION" >> "$RUN_DIR/environment.txt"

      # Phase 11: hello world with Gatling, the verify phase's load and requests.
      if want hello-capacity; then
        PHASE_BASE_URL="$HELLO_URL" run_gatling hello-capacity "hello world (bare Vert.x), capacity" HelloWorldSimulation \
          capacity "$BENCH_VERIFY_CONCURRENCY" "$BENCH_VERIFY_SESSIONS" "$CACHED_FIRST" true "$BENCH_MIN_RPS" "$BENCH_DURATION" \
          -Dsessions.file="$SESSIONS_FILE" -Dhello.path=/ || OVERALL_RC=1
      fi
      # Phase 12: hello world with wrk, the verify phase's connections and requests.
      if want_wrk hello-wrk; then
        wrk_warmup hello-wrk "$HELLO_URL/"
        PHASE_URL="$HELLO_URL/" run_wrk hello-wrk "hello world (bare Vert.x), capacity" "$WRK_VERIFY_SCRIPT" \
          "$BENCH_VERIFY_CONCURRENCY" "$VERIFY_WRK_THREADS" "$SESSIONS_FILE" "$WRK_VERIFY_CHECK" X-Hello || OVERALL_RC=1
      fi
    else
      log "the hello-world server did not start (see $RUN_DIR/hello.log): no baseline"
      OVERALL_RC=1
    fi
    stop_group "$HELLO_PGID" "hello world"
    for i in "${!PIDS[@]}"; do
      if [[ ${PIDS[$i]} == "$HELLO_PGID" ]]; then PIDS[$i]=""; fi
    done
  fi
fi  # verify phases

# ---- the SAML assertion consumer service ----------------------------------------------------------------
saml_responses() {  # saml_responses NAME COUNT: sign COUNT fresh responses into $SAML_DIR/NAME.responses
  local name=$1 count=$2 out="$SAML_DIR/$1.responses" line
  log "phase $name: signing $count fresh SAML responses ($BENCH_SAML_USERS users, $BENCH_SAML_GEN_THREADS threads; not measured)"
  if ! java -cp "$SAML_CP" io.authgate.loadtests.saml.SamlResponseGenerator responses "$SAML_DIR" "$SAML_IDP_ENTITY_ID" \
      "$SAML_SP_ENTITY_ID" "$SAML_ACS_URL" "$count" "$BENCH_SAML_USERS" "$out" "$BENCH_SAML_GEN_THREADS" 30 \
      > "$RUN_DIR/saml-generate-$name.log" 2>&1; then
    tail -20 "$RUN_DIR/saml-generate-$name.log" >&2
    log "$name: the responses could not be made"
    return 1
  fi
  line=$(grep '^SAML-GENERATED' "$RUN_DIR/saml-generate-$name.log" | tail -1)
  log "$name: $line"
  printf '%s %s\n' "$name" "${line#SAML-GENERATED }" >> "$RUN_DIR/saml-generated.txt"
  SAML_RESPONSES_FILE=$out
}

if want_saml; then
  # Phase 13: SAML ACS capacity: N virtual users flat out, each posting the next fresh response.
  if want saml-capacity; then
    if saml_responses saml-capacity $(( $(ceil_mul "$BENCH_SAML_MAX_RPS" $((BENCH_SAML_WARMUP + BENCH_DURATION))) + 1 )); then
      PHASE_WARMUP=$BENCH_SAML_WARMUP run_gatling saml-capacity "SAML ACS, capacity" SamlAcsSimulation capacity \
        "$BENCH_SAML_CONCURRENCY" 1 1 true "$BENCH_SAML_MIN_RPS" "$BENCH_DURATION" \
        -Dresponses.file="$SAML_RESPONSES_FILE" || OVERALL_RC=1
      rm -f "$SAML_RESPONSES_FILE"
    else
      OVERALL_RC=1
    fi
  fi
  # Phase 14: SAML ACS at a constant offered rate (open model): kept up (99 %) and its latency.
  if want saml-rate; then
    if saml_responses saml-rate $(( $(ceil_mul "$BENCH_SAML_RATE" $((BENCH_SAML_RATE_WARMUP + BENCH_DURATION))) + 100 )); then
      PHASE_WARMUP=$BENCH_SAML_RATE_WARMUP run_gatling saml-rate "SAML ACS, constant rate" SamlAcsSimulation rate \
        "$BENCH_SAML_RATE" 1 1 true \
        "$(python3 -c "import sys; print(round(float(sys.argv[1]) * 0.99, 3))" "$BENCH_SAML_RATE")" "$BENCH_DURATION" \
        -Dresponses.file="$SAML_RESPONSES_FILE" || OVERALL_RC=1
      rm -f "$SAML_RESPONSES_FILE"
    else
      OVERALL_RC=1
    fi
  fi
fi  # SAML phases

# ---- (f) summary ----------------------------------------------------------------------------------
python3 - "$RUN_DIR" <<PY
import collections, json, os, sys
run_dir = sys.argv[1]
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
    "id": "$RUN_ID", "smoke": $SMOKE == 1, "cpus": os.cpu_count(), "enforce_goals": $BENCH_ENFORCE_GOALS == 1,
    "users": $BENCH_USERS, "duration": $BENCH_DURATION, "body": "$BENCH_BODY",
    "groups_strategy": "${BENCH_GROUPS_STRATEGY:-server default (search)}",
    "authrate_threads": $BENCH_AUTHRATE_THREADS, "authrate_duration": $BENCH_AUTHRATE_DURATION,
    "authrate_warmup": $BENCH_AUTHRATE_WARMUP, "authrate_exit": $AUTHRATE_RC, "rounds": $ROUNDS,
    "slapd_threads": ${BENCH_SLAPD_THREADS:-None}, "redis": $BENCH_REDIS == 1,
    "phases": "$BENCH_PHASES",
    "uncached_concurrency": $BENCH_UNCACHED_CONCURRENCY, "uncached_max_rps": $BENCH_UNCACHED_MAX_RPS,
    "uncached_rate": $BENCH_UNCACHED_RATE, "cached_users": $BENCH_CACHED_USERS,
    "cached_concurrency": $BENCH_CACHED_CONCURRENCY, "cached_rate": $BENCH_CACHED_RATE,
    "wrk": $BENCH_WRK == 1, "wrk_threads": $BENCH_WRK_THREADS, "wrk_duration": $BENCH_WRK_DURATION,
    "wrk_warmup": $BENCH_WRK_WARMUP, "wrk_check": $BENCH_WRK_CHECK == 1,
    "uncached_wrk_threads": $UNCACHED_WRK_THREADS, "cached_wrk_threads": $CACHED_WRK_THREADS,
    "uncached_wrk_users": $WRK_USERS,
    "verify_sessions": $BENCH_VERIFY_SESSIONS, "verify_concurrency": $BENCH_VERIFY_CONCURRENCY,
    "verify_wrk_threads": $VERIFY_WRK_THREADS, "wrk_verify_check": $BENCH_WRK_VERIFY_CHECK == 1,
    "goal_verify_rps": $BENCH_GOAL_VERIFY_RPS, "goal_verify_hello_pct": $BENCH_GOAL_VERIFY_HELLO_PCT,
    "saml_concurrency": $BENCH_SAML_CONCURRENCY, "saml_rate": $BENCH_SAML_RATE, "saml_max_rps": $BENCH_SAML_MAX_RPS, "saml_warmup": $BENCH_SAML_WARMUP,
    "saml_rate_warmup": $BENCH_SAML_RATE_WARMUP,
    "saml_users": $BENCH_SAML_USERS, "saml_key_bits": $BENCH_SAML_KEY_BITS, "saml_min_rps": $BENCH_SAML_MIN_RPS,
    "goal_saml_rps": $BENCH_GOAL_SAML_RPS,
    "hello": "$HELLO_DESCRIPTION",
    "warmup_seconds": $BENCH_WARMUP, "gatling_warmup": $BENCH_GATLING_WARMUP,
    "warmup_jit_max": $BENCH_WARMUP_JIT_MAX, "warmup_jit_quiet": $BENCH_WARMUP_JIT_QUIET,
    "warmup_jit_seconds": $WARMUP_JIT_SECONDS, "warmup_jit_cores": $WARMUP_JIT_CORES,
    "min_rps": $BENCH_MIN_RPS, "max_error_pct": $BENCH_MAX_ERROR_PCT,
    "goal_uncached_ratio_pct": $BENCH_GOAL_UNCACHED_RATIO, "goal_cached_rps": $BENCH_GOAL_CACHED_RPS,
    "goal_cached_p99_ms": $BENCH_GOAL_CACHED_P99_MS,
    "java_opts": "$BENCH_JAVA_OPTS", "cpu_interval": $BENCH_CPU_INTERVAL,
    "pgids": {"slapd": $SLAPD_PID, "authgate": $AUTHGATE_PID, "redis": ${REDIS_PGID:-0}, "hello": $HELLO_PGID,
              "postgres": "postgres"},
    "server_log": {"levels": dict(levels),
                   "warnings": [{"level": l, "message": m, "count": c} for (l, m), c in messages.most_common(10)]},
}
with open(os.path.join(run_dir, "run.json"), "w", encoding="utf-8") as f:
    json.dump(run, f, indent=2)
PY
echo
SUMMARY_RC=0
python3 "$TOOLS" summary "$RUN_DIR" || SUMMARY_RC=$?
echo
if [[ $SUMMARY_RC == 3 ]]; then
  log "FAILED: at least one goal was not met (BENCH_ENFORCE_GOALS=1)"
  OVERALL_RC=1
elif [[ $SUMMARY_RC != 0 ]]; then
  log "FAILED: the summary broke (exit $SUMMARY_RC)"
  OVERALL_RC=1
fi
if [[ $OVERALL_RC != 0 ]]; then
  log "FAILED: a phase failed (assertions, errors, or the run broke) or a goal was not met"
fi
exit "$OVERALL_RC"
