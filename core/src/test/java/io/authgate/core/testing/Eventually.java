package io.authgate.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something another thread or process makes true, failing with what was awaited. */
public final class Eventually {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private Eventually() {}

  /**
   * Polls {@code condition} every few milliseconds until it holds.
   *
   * @param what what is awaited, for the failure message
   * @throws AssertionError if it does not hold within 10 seconds
   */
  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
