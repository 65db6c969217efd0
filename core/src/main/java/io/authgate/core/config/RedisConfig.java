package io.authgate.core.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Redis, shared by gateway processes for the L2 cache, regulation counters and invalidation.
 * Without a URL everything stays in-process. Immutable.
 *
 * @param url {@code redis://[:password@]host:port[/db]}; empty for in-process only
 * @param poolSize connections per event loop
 * @param keyIndexMaxKeys the most cache entries and regulation markers the Redis key index follows
 *     (some 25 to 50 bytes of heap each); past it every read goes to Redis until the next rebuild; 0
 *     turns the index off
 * @param commandTimeout how long a gateway waits for Redis to answer (or a connection to open)
 *     before its commands fail and it tries another connection
 */
public record RedisConfig(Optional<String> url, int poolSize, int keyIndexMaxKeys, Duration commandTimeout) {
  /** Default of {@code redis.keyIndexMaxKeys}: some 50 to 100 MB of heap at most. */
  public static final int DEFAULT_KEY_INDEX_MAX_KEYS = 2_000_000;
  /** Default of {@code redis.commandTimeout}: far above a healthy Redis's milliseconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  static RedisConfig read(ConfigNode n) {
    Optional<String> url = n.parsed("url", StoreUrls::redis);
    Duration commandTimeout = n.duration("commandTimeout", DEFAULT_COMMAND_TIMEOUT, "10ms", "5m");
    RedisConfig config = new RedisConfig(url, n.integer("poolSize", 8, 1, 256),
        n.integer("keyIndexMaxKeys", DEFAULT_KEY_INDEX_MAX_KEYS, 0, 100_000_000), commandTimeout);
    n.rejectUnknownKeys();
    return config;
  }
}
