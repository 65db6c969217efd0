package io.authgate.core.observability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * A warning that can come once per request while something the gateway depends on is down (Redis,
 * under load): the first is logged, then at most one per interval, saying how many like it were
 * not logged since the last. Without it, an outage at thousands of logins a second would fill the
 * async appender's queue with the same line, and the lines that matter would be the ones dropped.
 * Thread-safe; one per call site.
 */
public final class RepeatedWarning {
  /** How often a repeated warning is logged at most, unless told otherwise. */
  public static final Duration EVERY = Duration.ofSeconds(10);

  private final Logger log;
  private final long intervalNanos;
  /** When the next line may be logged, in {@link System#nanoTime()}. */
  private final AtomicLong nextAt = new AtomicLong(System.nanoTime());
  private final LongAdder unlogged = new LongAdder();

  /**
   * @param log where the lines go
   * @param interval the least time between two lines
   */
  public RepeatedWarning(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  /** @param log where the lines go, at most one each {@link #EVERY} */
  public RepeatedWarning(Logger log) {
    this(log, EVERY);
  }

  /**
   * Logs the warning, unless one from this call site was logged less than the interval ago.
   *
   * @param message the warning, with one {@code {}} for the cause
   * @param cause what failed; only its {@code toString()} is logged
   */
  public void warn(String message, Throwable cause) {
    long now = System.nanoTime();
    long due = nextAt.get();
    if (now - due < 0 || !nextAt.compareAndSet(due, now + intervalNanos)) {
      unlogged.increment();
      return;
    }
    long skipped = unlogged.sumThenReset();
    if (skipped == 0) {
      log.warn(message, cause.toString());
    } else {
      log.warn(message + " (and {} more like it since the last such line)", cause.toString(), skipped);
    }
  }
}
