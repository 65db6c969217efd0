package io.authgate.core.redis;

import io.authgate.core.observability.RepeatedWarning;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis {@code SET}s that nobody waits for (cache fills), gathered for a few milliseconds and sent
 * together. A write sent on its own costs Redis a wake-up, a read and a write of its own, and the
 * sender a system call and a reply to read; a batch shares them. Only the latest value of a key
 * is kept until it is sent, and {@link #cancel} drops it, so a purge is not undone by a fill that
 * was still waiting. A failed batch is logged once and costs only later cache misses.
 * Thread-safe.
 */
public final class DeferredWrites {
  private static final Logger LOG = LoggerFactory.getLogger(DeferredWrites.class);
  private static final RepeatedWarning BATCH_FAILED = new RepeatedWarning(LOG);

  private final Vertx vertx;
  private final RedisCommands redis;
  private final long delayMillis;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** A value waiting to be sent, and the moment it expires. */
  private record Pending(byte[] value, long expiresAtMillis) {}

  /**
   * @param vertx whose timers send the batches
   * @param redis where they go
   * @param delayMillis how long the first write of a batch waits for others; 0 sends each at once
   */
  public DeferredWrites(Vertx vertx, RedisCommands redis, long delayMillis) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delayMillis must not be negative");
    }
    this.vertx = vertx;
    this.redis = redis;
    this.delayMillis = delayMillis;
  }

  /**
   * Sets {@code key} to {@code value} with the next batch, replacing a value still waiting.
   *
   * @param expiresAtMillis when the key should expire (epoch milliseconds); the TTL is computed
   *     when the batch is sent, so waiting does not lengthen it
   */
  public void set(String key, byte[] value, long expiresAtMillis) {
    Pending write = new Pending(value, expiresAtMillis);
    if (delayMillis == 0) {
      send(List.of(request(key, write, System.currentTimeMillis())));
      return;
    }
    pending.put(key, write);
    // Put before claiming the timer: a flush clears the claim before it drains, so each write is
    // either taken by a flush already running or finds the claim free and schedules the next.
    if (scheduled.compareAndSet(false, true)) {
      vertx.setTimer(delayMillis, t -> flush());
    }
  }

  /** Drops a write of {@code key} that has not been sent yet; one already sent is not recalled. */
  public void cancel(String key) {
    pending.remove(key);
  }

  /** Drops every write not sent yet (events may have been missed: nothing waiting is trusted). */
  public void cancelAll() {
    pending.clear();
  }

  /** @return writes waiting for their batch */
  int waiting() {
    return pending.size();
  }

  /** Sends every waiting write now (the timer of a batch). */
  private void flush() {
    scheduled.set(false);
    long now = System.currentTimeMillis();
    List<Request> batch = new ArrayList<>(pending.size());
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      if (pending.remove(e.getKey(), e.getValue())) {
        batch.add(request(e.getKey(), e.getValue(), now));
      }
    }
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  private static Request request(String key, Pending write, long now) {
    return Request.cmd(Command.SET).arg(key).arg(write.value()).arg("PX")
        .arg(Math.max(1, write.expiresAtMillis() - now));
  }

  /** Sends the batch: one write, one reply to wait for. */
  private void send(List<Request> batch) {
    redis.batch(batch).onFailure(e -> BATCH_FAILED.warn("redis: a batch of deferred writes failed: {}", e));
  }
}
