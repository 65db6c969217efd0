package io.authgate.core.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The broadcaster of a single process: the local event bus is everyone. Thread-safe. */
public final class LocalBroadcaster implements Broadcaster {
  private final Vertx vertx;

  /** @param vertx whose event bus carries the events */
  public LocalBroadcaster(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Void> publish(String address, String body) {
    vertx.eventBus().publish(address, body);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
