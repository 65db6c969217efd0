package io.authgate.core.jobs;

import java.time.Duration;
import java.util.List;

/**
 * How long a failed job waits before its next attempt: the n-th failure waits the n-th delay,
 * the last delay repeating. Immutable.
 *
 * @param delays one or more delays, none negative
 */
public record Backoff(List<Duration> delays) {
  /** 1 minute, 5 minutes, then 30 minutes. */
  public static final Backoff DEFAULT = new Backoff(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
      Duration.ofMinutes(30)));

  /** Checks the delays. */
  public Backoff {
    delays = List.copyOf(delays);
    if (delays.isEmpty() || delays.stream().anyMatch(Duration::isNegative)) {
      throw new IllegalArgumentException("backoff needs one or more delays, none negative");
    }
  }

  /** @param failures how many attempts have failed so far, at least 1 */
  public Duration after(int failures) {
    return delays.get(Math.min(Math.max(failures, 1), delays.size()) - 1);
  }
}
