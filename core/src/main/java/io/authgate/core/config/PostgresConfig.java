package io.authgate.core.config;

import java.util.Optional;

/**
 * PostgreSQL, the durable store. Without a URL the server starts an embedded PostgreSQL under the
 * data directory. Immutable.
 *
 * @param url {@code postgresql://user:password@host:port/database}; empty for embedded
 * @param poolSize connections in the reactive pool
 */
public record PostgresConfig(Optional<String> url, int poolSize) {
  static PostgresConfig read(ConfigNode n) {
    Optional<String> url = n.optionalString("url").map(u -> u.startsWith("jdbc:") ? u.substring(5) : u);
    url.ifPresent(u -> {
      if (!u.startsWith("postgresql://") && !u.startsWith("postgres://")) {
        throw n.problem("url", "must look like postgresql://user:password@host:5432/database");
      }
    });
    PostgresConfig config = new PostgresConfig(url, n.integer("poolSize", 8, 1, 200));
    n.rejectUnknownKeys();
    return config;
  }
}
