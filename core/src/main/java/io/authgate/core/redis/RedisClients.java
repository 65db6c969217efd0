package io.authgate.core.redis;

import io.authgate.core.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/** Creates Redis clients from configuration. */
public final class RedisClients {
  private RedisClients() {}

  /**
   * @param vertx the Vert.x instance
   * @param config the Redis settings; its URL must be present
   * @return a pooled client, safe to share between verticles, with room for the one connection
   *     each event loop keeps for {@link RedisCommands} besides {@code redis.poolSize}; a connect
   *     gives up after {@code redis.commandTimeout}
   */
  public static Redis pooled(Vertx vertx, RedisConfig config) {
    int eventLoops = 2 * Runtime.getRuntime().availableProcessors();
    return Redis.createClient(vertx, options(config)
        .setMaxPoolSize(config.poolSize() + eventLoops)
        .setMaxPoolWaiting(10_000)
        .setMaxWaitingHandlers(10_000));
  }

  /**
   * @param vertx the Vert.x instance
   * @param config the Redis settings; its URL must be present
   * @return a client for the {@link RedisKeyIndex} alone: two connections, the one Redis pushes on
   *     and one for its scans; a connect gives up after {@code redis.commandTimeout}
   */
  public static Redis forKeyIndex(Vertx vertx, RedisConfig config) {
    return Redis.createClient(vertx, options(config).setMaxPoolSize(2));
  }

  private static RedisOptions options(RedisConfig config) {
    RedisOptions options = new RedisOptions().setConnectionString(config.url().orElseThrow());
    // A connect to an address that drops packets fails after the command timeout, not TCP's minute.
    options.getNetClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.commandTimeout().toMillis()));
    return options;
  }

  /** @return succeeds when Redis answers PING */
  public static Future<Void> ping(RedisCommands redis) {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }
}
