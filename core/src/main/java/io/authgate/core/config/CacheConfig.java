package io.authgate.core.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The credential cache in front of the directories. Immutable.
 *
 * @param freshTtl how long a successful bind answers later requests on its own
 * @param staleWindow how long after that a matching entry may answer while the directory is
 *     unreachable; zero disables stale answers
 * @param maxEntries the in-process (L1) cache bound
 * @param hmacKey the key of the credential verifiers; generated at start when absent, in which
 *     case entries are not shared between processes
 * @param redisWriteDelay how long a new entry waits to be written to Redis with the entries that
 *     follow it (one batch instead of one write each); zero writes each at once
 */
public record CacheConfig(Duration freshTtl, Duration staleWindow, int maxEntries, Optional<Secret> hmacKey,
                          Duration redisWriteDelay) {
  /** Default freshness: five minutes. */
  public static final Duration DEFAULT_FRESH_TTL = Duration.ofMinutes(5);
  /** Default stale window: one hour. */
  public static final Duration DEFAULT_STALE_WINDOW = Duration.ofHours(1);
  /** Default Redis write delay: a few milliseconds gather the fills of a busy gateway into one batch. */
  public static final Duration DEFAULT_REDIS_WRITE_DELAY = Duration.ofMillis(5);
  /** Longest Redis write delay accepted: entries are shared late by that much. */
  public static final Duration MAX_REDIS_WRITE_DELAY = Duration.ofSeconds(1);
  /** Shortest key accepted: 32 bytes, the HMAC-SHA256 block of entropy. */
  public static final int MIN_KEY_LENGTH = 32;

  static CacheConfig read(ConfigNode n) {
    CacheConfig config = new CacheConfig(
        n.duration("freshTtl", DEFAULT_FRESH_TTL),
        n.duration("staleWindow", DEFAULT_STALE_WINDOW),
        n.integer("maxEntries", 100_000, 0, 100_000_000),
        n.secret("hmacKey"),
        n.duration("redisWriteDelay", DEFAULT_REDIS_WRITE_DELAY));
    if (config.redisWriteDelay().compareTo(MAX_REDIS_WRITE_DELAY) > 0) {
      throw n.problem("redisWriteDelay", "must be at most 1s");
    }
    config.hmacKey().ifPresent(k -> {
      if (k.reveal().length() < MIN_KEY_LENGTH) {
        throw n.problem("hmacKey", "must be at least " + MIN_KEY_LENGTH + " characters");
      }
    });
    n.rejectUnknownKeys();
    return config;
  }
}
