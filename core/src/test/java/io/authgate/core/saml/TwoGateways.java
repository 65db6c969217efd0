package io.authgate.core.saml;

import io.authgate.core.redis.RedisCommands;
import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.Supplier;

/**
 * Two gateway processes as far as Redis can tell: each its own Vert.x and connections to the same
 * test Redis ({@link TestServices#redisUrl()}).
 */
final class TwoGateways implements AutoCloseable {
  final Vertx firstVertx = TestVertx.create();
  final Vertx secondVertx = TestVertx.create();
  final RedisCommands first = new RedisCommands(firstVertx, client(firstVertx));
  final RedisCommands second = new RedisCommands(secondVertx, client(secondVertx));
  /**
   * One event-loop context per gateway, as a verticle has: {@link RedisCommands} keeps a connection
   * per context, so a new context per call would hold one connection each and drain the pool.
   */
  final Context firstContext = firstVertx.getOrCreateContext();
  final Context secondContext = secondVertx.getOrCreateContext();

  private static Redis client(Vertx vertx) {
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(TestServices.redisUrl())
        .setMaxPoolSize(16).setMaxPoolWaiting(1_000));
  }

  /** @return the result of {@code call} made on the event loop of {@code context} */
  static <T> Future<T> onEventLoop(Context context, Supplier<Future<T>> call) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(promise));
    return promise.future();
  }

  /** @return the reply to a command sent outside the stores */
  Response inspect(Request request) {
    return first.client().send(request).await();
  }

  /** @return the time to live of a key, in milliseconds (-2 when there is no such key) */
  long pttl(String key) {
    return inspect(Request.cmd(Command.PTTL).arg(key)).toLong();
  }

  @Override
  public void close() {
    firstVertx.close().await();
    secondVertx.close().await();
  }
}
