package io.authgate.core.net;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends everything a client connection is given in one event-loop turn with one system call.
 *
 * <p>Vert.x flushes each write at once unless the connection itself is reading. The gateway's
 * shared connections (an event loop's LDAP search connection, its Redis connection) are written
 * while <em>other</em> connections are read: an HTTP request asks Redis, a Redis answer sends a
 * search, and so on, for every login in flight. Each write was a {@code send} of its own on
 * loopback, waking the server each time. Netty's {@link FlushConsolidationHandler} holds the
 * flushes of one turn and flushes once when the event loop runs its tasks, which it does before
 * it waits again; at most {@link #FLUSH_AFTER} writes wait. On the uncached login path, in two
 * runs of {@code load-tests/bench.sh} one after the other (docs/BENCHMARKS.md), the gateway's CPU
 * per login fell from 137 to 109 µs and Redis's from 38 to 28 µs.
 */
public final class CoalescedFlushes {
  /** The handler's name in a pipeline. */
  public static final String HANDLER = "authgate-coalesced-flushes";
  /** Flushes held before one is let through anyway. */
  static final int FLUSH_AFTER = 256;
  /** Vert.x's own handler, the last in the pipeline: ours goes just before it. */
  private static final String VERTX_HANDLER = "handler";
  private static final Logger LOG = LoggerFactory.getLogger(CoalescedFlushes.class);
  /** The socket of a Redis connection: not exposed by the client, so read by reflection, once. */
  private static final Field REDIS_SOCKET = redisSocketField();

  private CoalescedFlushes() {}

  /**
   * Coalesces a socket's flushes. Call on the socket's event loop, before writing to it.
   *
   * @return whether the socket now coalesces (false for a socket Vert.x did not make)
   */
  public static boolean install(NetSocket socket) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return false;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    if (pipeline.get(HANDLER) == null) {
      pipeline.addBefore(VERTX_HANDLER, HANDLER, new FlushConsolidationHandler(FLUSH_AFTER, true));
    }
    return true;
  }

  /**
   * Coalesces the flushes of a Redis connection (one the gateway keeps, not one it returns to the
   * pool after a command). The client does not expose its socket; when a later client version
   * hides it differently, this returns false and the connection works as before, unbatched.
   *
   * @return whether the connection now coalesces
   */
  public static boolean install(RedisConnection connection) {
    Object actual = connection instanceof PooledRedisConnection pooled ? pooled.actual() : connection;
    if (REDIS_SOCKET == null || !REDIS_SOCKET.getDeclaringClass().isInstance(actual)) {
      return false;
    }
    try {
      return REDIS_SOCKET.get(actual) instanceof NetSocket socket && install(socket);
    } catch (IllegalAccessException | RuntimeException e) {
      LOG.debug("redis connection left unbatched: {}", e.toString());
      return false;
    }
  }

  /** @return whether the socket coalesces its flushes */
  public static boolean installed(NetSocket socket) {
    return socket instanceof NetSocketInternal internal
        && internal.channelHandlerContext().pipeline().get(HANDLER) != null;
  }

  private static Field redisSocketField() {
    try {
      Field field = Class.forName("io.vertx.redis.client.impl.RedisStandaloneConnection")
          .getDeclaredField("netSocket");
      field.setAccessible(true);
      return NetSocket.class.isAssignableFrom(field.getType()) ? field : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info("Redis commands will not be batched per event-loop turn: {}", e.toString());
      return null;
    }
  }
}
