package io.authgate.core.metrics;

/**
 * The names of authgate's own meters, in Micrometer's dotted form; the Prometheus registry renders
 * {@code authgate.auth.requests} as {@code authgate_auth_requests_total}. Labels never carry
 * usernames or other high-cardinality values.
 */
public final class MetricNames {
  private MetricNames() {}

  /** Counter {@code authgate_auth_requests_total{result,source,directory}}. */
  public static final String AUTH_REQUESTS = "authgate.auth.requests";
  /** Timer {@code authgate_auth_duration_seconds}, a histogram. */
  public static final String AUTH_DURATION = "authgate.auth.duration";
  /** Counter {@code authgate_auth_rejections_total{reason,directory}}: why credentials were refused. */
  public static final String AUTH_REJECTIONS = "authgate.auth.rejections";
  /** Counter {@code authgate_cache_requests_total{tier,result}}. */
  public static final String CACHE_REQUESTS = "authgate.cache.requests";
  /** Counter {@code authgate_ldap_operations_total{directory,operation,result}}. */
  public static final String LDAP_OPERATIONS = "authgate.ldap.operations";
  /** Gauge {@code authgate_ldap_pool_connections{directory,pool,state}}. */
  public static final String LDAP_POOL_CONNECTIONS = "authgate.ldap.pool.connections";
  /** Gauge {@code authgate_circuit_breaker_state{directory}}: 0 closed, 1 open, 2 half-open. */
  public static final String CIRCUIT_BREAKER_STATE = "authgate.circuit.breaker.state";
  /** Counter {@code authgate_regulation_bans_total{scope}}. */
  public static final String REGULATION_BANS = "authgate.regulation.bans";
  /** Counter {@code authgate_directory_unavailable_total{directory,cause}}. */
  public static final String DIRECTORY_UNAVAILABLE = "authgate.directory.unavailable";

  /** Gauge {@code authgate_redis_key_index_keys}: keys the Redis key index knows may exist. */
  public static final String REDIS_KEY_INDEX_KEYS = "authgate.redis.key.index.keys";
  /** Gauge {@code authgate_redis_key_index_answering}: 1 when it answers for absent keys, else 0. */
  public static final String REDIS_KEY_INDEX_ANSWERING = "authgate.redis.key.index.answering";

  /** Gauge {@code authgate_sessions_active}. */
  public static final String SESSIONS_ACTIVE = "authgate.sessions.active";
  /** Counter {@code authgate_verify_requests_total{result,credential}}. */
  public static final String VERIFY_REQUESTS = "authgate.verify.requests";
  /** Counter {@code authgate_saml_responses_total{idp,result,reason}}. */
  public static final String SAML_RESPONSES = "authgate.saml.responses";

  /** Counter {@code authgate_jobs_total{type,status}}: jobs that finished an attempt, by outcome. */
  public static final String JOBS = "authgate.jobs";
  /** Timer {@code authgate_job_duration_seconds{type}}: one attempt of a job. */
  public static final String JOB_DURATION = "authgate.job.duration";
  /** Counter {@code authgate_sync_entries_total{directory,outcome}}: entries a directory sync wrote or skipped. */
  public static final String SYNC_ENTRIES = "authgate.sync.entries";
  /** Gauge {@code authgate_sync_last_success_timestamp_seconds{directory}}. */
  public static final String SYNC_LAST_SUCCESS = "authgate.sync.last.success.timestamp";
  /** Gauge {@code authgate_directory_up{directory}}: 1 when the last health probe succeeded, else 0. */
  public static final String DIRECTORY_UP = "authgate.directory.up";

  /** Label keys. */
  public static final String DIRECTORY = "directory";
  /** Label key of an outcome. */
  public static final String RESULT = "result";
  /** Label key of where an answer came from. */
  public static final String SOURCE = "source";
  /** Label key of a SAML identity provider (its configured id). */
  public static final String IDP = "idp";
  /** Label key of a refusal's reason. */
  public static final String REASON = "reason";
  /** Label key of a cache tier: {@code l1} or {@code l2}. */
  public static final String TIER = "tier";
  /** Label key of an LDAP operation. */
  public static final String OPERATION = "operation";
  /** Label key of a connection pool. */
  public static final String POOL = "pool";
  /** Label key of a connection state. */
  public static final String STATE = "state";
  /** Label key of a ban's scope: {@code user} or {@code user_ip}. */
  public static final String SCOPE = "scope";
  /** Label key of the credential a verify request carried. */
  public static final String CREDENTIAL = "credential";
  /** Label key of a job type. */
  public static final String TYPE = "type";
  /** Label key of a job's status after an attempt. */
  public static final String STATUS = "status";
  /** Label key of what sync did with an entry: created, updated, unchanged, conflicted, deactivated. */
  public static final String OUTCOME = "outcome";
  /** Label key of why a directory could not answer. */
  public static final String CAUSE = "cause";
}
