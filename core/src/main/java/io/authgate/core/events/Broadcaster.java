package io.authgate.core.events;

import io.vertx.core.Future;

/**
 * Publishes an event to every authgate process, where it lands on the local event bus at the same
 * address. Thread-safe.
 */
public interface Broadcaster {

  /**
   * @param address one of {@link Addresses}
   * @param body the event, a short string free of secrets
   * @return completes once the event is handed to the transport
   */
  Future<Void> publish(String address, String body);

  /** Stops listening. */
  Future<Void> close();
}
