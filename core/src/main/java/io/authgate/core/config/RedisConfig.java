package io.authgate.core.config;

import java.util.Optional;

/**
 * Redis, shared by gateway processes for the L2 cache, regulation counters and invalidation.
 * Without a URL everything stays in-process. Immutable.
 *
 * @param url {@code redis://[:password@]host:port[/db]}; empty for in-process only
 * @param poolSize connections per event loop
 */
public record RedisConfig(Optional<String> url, int poolSize) {
  static RedisConfig read(ConfigNode n) {
    Optional<String> url = n.optionalString("url");
    url.ifPresent(u -> {
      if (!u.startsWith("redis://") && !u.startsWith("rediss://") && !u.startsWith("unix://")) {
        throw n.problem("url", "must start with redis://, rediss:// or unix://");
      }
    });
    RedisConfig config = new RedisConfig(url, n.integer("poolSize", 8, 1, 256));
    n.rejectUnknownKeys();
    return config;
  }
}
