package io.authgate.core.config;

import java.time.Duration;
import java.util.Optional;

/**
 * PostgreSQL, the durable store. Without a URL the server starts an embedded PostgreSQL under the
 * data directory. Immutable.
 *
 * @param url {@code postgresql://user:password@host:port/database}; empty for embedded
 * @param poolSize connections in the reactive pool
 * @param queryTimeout the longest a statement may run before PostgreSQL cancels it
 */
public record PostgresConfig(Optional<String> url, int poolSize, Duration queryTimeout) {
  /** Default of {@code postgres.queryTimeout}: far above any statement the store runs. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

  static PostgresConfig read(ConfigNode n) {
    Optional<String> url = n.parsed("url", StoreUrls::postgres);
    PostgresConfig config = new PostgresConfig(url, n.integer("poolSize", 8, 1, 200),
        n.duration("queryTimeout", DEFAULT_QUERY_TIMEOUT, "100ms", "1h"));
    n.rejectUnknownKeys();
    return config;
  }
}
