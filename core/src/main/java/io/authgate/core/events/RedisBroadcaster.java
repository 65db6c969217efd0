package io.authgate.core.events;

import io.authgate.core.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crosses processes with Redis pub/sub: an event is published on channel
 * {@code authgate:events:<address>}, and every process subscribed to {@code authgate:events:*}
 * republishes it on its own event bus. A lost subscription is re-established with backoff, and
 * {@link Addresses#EVENTS_RESYNC} tells local caches that events may have been missed.
 * Thread-safe.
 */
public final class RedisBroadcaster implements Broadcaster {
  static final String CHANNEL_PREFIX = "authgate:events:";
  private static final Logger LOG = LoggerFactory.getLogger(RedisBroadcaster.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final Vertx vertx;
  private final RedisCommands commands;
  private final Redis subscriber;
  private volatile boolean closed;
  private volatile RedisConnection subscription;

  private RedisBroadcaster(Vertx vertx, RedisCommands commands, Redis subscriber) {
    this.vertx = vertx;
    this.commands = commands;
    this.subscriber = subscriber;
  }

  /**
   * Subscribes, then returns the broadcaster.
   *
   * @param vertx whose event bus receives the events
   * @param commands sends the publications
   * @param subscriber a client used only for the subscription connection
   * @return the broadcaster once subscribed
   */
  public static Future<Broadcaster> start(Vertx vertx, RedisCommands commands, Redis subscriber) {
    RedisBroadcaster broadcaster = new RedisBroadcaster(vertx, commands, subscriber);
    return broadcaster.subscribe().map(v -> broadcaster);
  }

  @Override
  public Future<Void> publish(String address, String body) {
    return commands.send(Request.cmd(Command.PUBLISH).arg(CHANNEL_PREFIX + address).arg(body)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    RedisConnection connection = subscription;
    if (connection != null) {
      connection.close();
    }
    subscriber.close();
    return Future.succeededFuture();
  }

  private Future<Void> subscribe() {
    return subscriber.connect().compose(connection -> {
      subscription = connection;
      connection.handler(this::relay);
      connection.exceptionHandler(e -> LOG.warn("redis subscription failed: {}", e.toString()));
      connection.endHandler(v -> resubscribe(1_000));
      return connection.send(Request.cmd(Command.PSUBSCRIBE).arg(CHANNEL_PREFIX + "*")).mapEmpty();
    });
  }

  private void resubscribe(long delayMillis) {
    if (closed) {
      return;
    }
    vertx.eventBus().publish(Addresses.EVENTS_RESYNC, "");
    vertx.setTimer(delayMillis, t -> {
      subscribe()
          .onSuccess(v -> {
            LOG.info("redis subscription restored");
            vertx.eventBus().publish(Addresses.EVENTS_RESYNC, "");
          })
          .onFailure(e -> resubscribe(Math.min(delayMillis * 2, MAX_BACKOFF_MILLIS)));
    });
  }

  /** A pattern message is {@code [pmessage, pattern, channel, body]}. */
  private void relay(Response message) {
    if (message.type() != ResponseType.MULTI && message.type() != ResponseType.PUSH) {
      return;
    }
    if (message.size() == 4 && "pmessage".equals(message.get(0).toString())) {
      String channel = message.get(2).toString();
      if (channel.startsWith(CHANNEL_PREFIX)) {
        vertx.eventBus().publish(channel.substring(CHANNEL_PREFIX.length()), message.get(3).toString());
      }
    }
  }
}
