package io.authgate.gateway.saml.web;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The places the ACS has for sign-ins in progress. A sign-in takes one, with its response's length,
 * on arrival and frees it when answered. There are {@code saml.maxPendingSignIns} places, or, while
 * the ACS finished more sign-ins than that in the last {@code saml.signInBacklog}, that many: the
 * work taken on ahead is then about a backlog's worth at the pace the ACS keeps (Little's law), so a
 * sign-in waits about that long at most for its turn, on a slow machine as on a fast one. A fixed
 * count cannot say that: 256 places were 170 ms at 1,500 sign-ins a second, too little for a
 * transient that the same gateway works off within a second or two, and would be seconds on a
 * gateway a tenth as fast. Whatever the count, the responses held never exceed {@code
 * saml.maxPendingSignIns × saml.maxResponseBytes} bytes. A backlog of zero keeps the count fixed.
 *
 * <p>The pace is what finished in the last backlog, counted in tenths of it, so a stall (a paused
 * JVM, a store that stopped answering) brings the count back down to the floor within one backlog
 * and the ACS refuses early until the work it holds is done. Thread-safe; one short lock per step,
 * nothing next to what a sign-in costs.
 */
final class SignInPlaces {
  private static final int SLOTS = 10;
  private final int least;
  private final long maxBytes;
  private final long slotNanos;
  private final LongSupplier nanoClock;
  /** Sign-ins finished in each tenth of the backlog, and which tenth (nanos / slotNanos) each slot counts. */
  private final long[] finished = new long[SLOTS];
  private final long[] slotOf = new long[SLOTS];
  private int taken;
  private long bytes;

  /**
   * @param least the places there always are ({@code saml.maxPendingSignIns})
   * @param maxResponseBytes the largest response a place may hold ({@code saml.maxResponseBytes})
   * @param backlog how much finished work the count follows ({@code saml.signInBacklog}); zero keeps it at {@code least}
   * @param nanoClock a monotonic clock in nanoseconds, {@link System#nanoTime} but in tests
   */
  SignInPlaces(int least, int maxResponseBytes, Duration backlog, LongSupplier nanoClock) {
    this.least = least;
    this.maxBytes = (long) least * maxResponseBytes;
    this.slotNanos = backlog.isZero() ? 0 : Math.max(1, backlog.toNanos() / SLOTS);
    this.nanoClock = nanoClock;
    Arrays.fill(slotOf, Long.MIN_VALUE);
  }

  /**
   * @param length the response's length, held until {@link #free}
   * @return whether a place was taken; false when every place is taken or the bytes would exceed the bound
   */
  synchronized boolean take(int length) {
    if (taken >= places(nanoClock.getAsLong()) || bytes + length > maxBytes) {
      return false;
    }
    taken++;
    bytes += length;
    return true;
  }

  /** Frees a place {@link #take} gave, and counts a sign-in finished. */
  synchronized void free(int length) {
    taken--;
    bytes -= length;
    if (slotNanos > 0) {
      long slot = Math.floorDiv(nanoClock.getAsLong(), slotNanos);
      int i = (int) Math.floorMod(slot, SLOTS);
      if (slotOf[i] != slot) {
        slotOf[i] = slot;
        finished[i] = 0;
      }
      finished[i]++;
    }
  }

  /** @return the places there are now */
  synchronized int places() {
    return places(nanoClock.getAsLong());
  }

  /** @return the sign-ins holding a place */
  synchronized int taken() {
    return taken;
  }

  /** @return the places taken of those there are, and the bytes held of the most, for a log line */
  synchronized String state() {
    return taken + " of " + places(nanoClock.getAsLong()) + " places taken, " + bytes + " of " + maxBytes
        + " bytes of responses held";
  }

  private int places(long now) {
    if (slotNanos == 0) {
      return least;
    }
    long current = Math.floorDiv(now, slotNanos);
    long pace = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (slotOf[i] > current - SLOTS) {
        pace += finished[i];
      }
    }
    return (int) Math.max(least, Math.min(pace, Integer.MAX_VALUE));
  }
}
