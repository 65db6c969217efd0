package io.authgate.core.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in times on their way to {@code users.last_login_at}: remembered in memory and written in
 * one statement per interval for every account signed in since the last write, instead of one
 * UPDATE (and one commit) per sign-in, which cost the store more CPU than the sign-in itself cost
 * the gateway. An account that signs in many times in an interval is written once, with the latest
 * time. A write that fails keeps its times for the next one, and {@link #close} writes what is left,
 * so only a crash loses anything: at most one interval of sign-in times, never an account. Readers
 * see a sign-in at most one interval late. Thread-safe.
 */
public final class LastLogins {
  /** How often the times are written. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  /** The most accounts one statement writes; more are written by the next statements at once. */
  static final int MAX_BATCH = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(LastLogins.class);

  private final Vertx vertx;
  private final UserAccounts accounts;
  private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();
  private final long timer;
  /** The write in progress, so two never overlap; guarded by this. */
  private Future<Void> writing = Future.succeededFuture();

  /**
   * @param vertx runs the periodic write
   * @param accounts the store's accounts
   * @param interval how often the times are written
   */
  public LastLogins(Vertx vertx, UserAccounts accounts, Duration interval) {
    this.vertx = vertx;
    this.accounts = accounts;
    this.timer = vertx.setPeriodic(interval.toMillis(), t -> tick());
  }

  /** Remembers a sign-in; an earlier time than one already remembered for the account changes nothing. */
  public void record(UUID userId, Instant at) {
    pending.merge(userId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** @return the accounts whose sign-ins are not written yet */
  public int pending() {
    return pending.size();
  }

  /** The periodic write; skipped while the last one still runs (a slow store), so none pile up. */
  private synchronized void tick() {
    if (writing.isComplete()) {
      write();
    }
  }

  /** @return completes when every time remembered when it was called is written (or the write failed) */
  public synchronized Future<Void> write() {
    Future<Void> next = writing.transform(ignored -> writeAll());
    writing = next;
    return next;
  }

  private Future<Void> writeAll() {
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<UUID, Instant> batch = new LinkedHashMap<>();
    for (Map.Entry<UUID, Instant> e : pending.entrySet()) {
      batch.put(e.getKey(), e.getValue());
      if (batch.size() == MAX_BATCH) {
        break;
      }
    }
    return accounts.recordLogins(batch).compose(written -> {
      // Keep a time that a newer sign-in replaced meanwhile: the next write carries it.
      batch.forEach((id, at) -> pending.remove(id, at));
      return batch.size() == MAX_BATCH ? writeAll() : Future.<Void>succeededFuture();
    }, e -> {
      LOG.warn("{} sign-in times not written, kept for the next try: {}", batch.size(), e.toString());
      return Future.<Void>succeededFuture();
    });
  }

  /** Stops the periodic write and writes what is left. */
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return write();
  }
}
