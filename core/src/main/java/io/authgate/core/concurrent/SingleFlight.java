package io.authgate.core.concurrent;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Coalesces identical concurrent work: while a call for a key is in flight, later calls for the
 * same key wait for its result instead of starting their own. Callers on other event loops get the
 * result back on their own context. Thread-safe.
 *
 * @param <K> the key; needs value equality
 * @param <V> the result
 */
public final class SingleFlight<K, V> {
  private final ConcurrentHashMap<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  /**
   * @param key identifies identical work
   * @param work starts the work; called only when nothing is in flight for {@code key}
   * @return the result of the call in flight, or of a new one
   */
  public Future<V> run(K key, Supplier<Future<V>> work) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      Context context = Vertx.currentContext();
      return context == null ? Future.fromCompletionStage(leader) : Future.fromCompletionStage(leader, context);
    }
    Future<V> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.onComplete(ar -> {
      inFlight.remove(key, mine);
      if (ar.succeeded()) {
        mine.complete(ar.result());
      } else {
        mine.completeExceptionally(ar.cause());
      }
    });
  }

  /** @return how many distinct calls are in flight */
  public int inFlight() {
    return inFlight.size();
  }
}
