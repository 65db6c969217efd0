package io.authgate.core.directory.ldap;

import com.unboundid.ldap.protocol.ProtocolOp;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * The connections one event loop uses for one directory. Searches share a single connection bound
 * as the service account, multiplexed (LDAP answers concurrent requests on one connection), and
 * the searches of one event-loop turn go out in one write. Binds
 * each take a connection of their own, from at most {@code maxBinds}; a bind that finds none free
 * waits up to {@code waitMillis}, then fails with {@link ResultCode#CONNECT_ERROR} "pool exhausted".
 * A request that fails because a reused connection turned out dead is retried once on a new one.
 * Confined to its event loop; the counters may be read from anywhere.
 */
final class ChannelPool {
  /** Connections older than this are replaced when next released, so load spreads after failovers. */
  static final long MAX_AGE_MILLIS = 30 * 60_000L;
  /** The message a pool-exhausted failure carries. */
  static final String EXHAUSTED = "no LDAP connection became free in time";

  private final Vertx vertx;
  private final LdapConnector connector;
  private final int maxBinds;
  private final long waitMillis;
  private Future<LdapChannel> search;
  private final Deque<LdapChannel> idle = new ArrayDeque<>();
  private final Deque<Promise<Lease>> waiters = new ArrayDeque<>();
  private volatile int bindsOpen;
  private volatile int bindsIdle;
  private volatile int searchOpen;
  private boolean closed;

  ChannelPool(Vertx vertx, LdapConnector connector, int maxBinds, long waitMillis) {
    this.vertx = vertx;
    this.connector = connector;
    this.maxBinds = maxBinds;
    this.waitMillis = waitMillis;
  }

  /** Runs a request on the search connection, retrying once on a new one if the old one was dead. */
  Future<LdapReply> search(ProtocolOp op, List<Control> controls) {
    return searchChannel().compose(channel -> channel.send(op, controls).recover(e -> {
      if (!isDeadConnection(e)) {
        return Future.failedFuture(e);
      }
      return searchChannel().compose(fresh -> fresh.send(op, controls));
    }));
  }

  /**
   * Runs {@code work} with a bind connection of its own, then returns the connection to the pool.
   * A reused connection found dead is replaced and {@code work} retried once.
   */
  <T> Future<T> withBindChannel(Function<LdapChannel, Future<T>> work) {
    return acquire().compose(lease -> work.apply(lease.channel()).andThen(ar -> release(lease.channel())).recover(e -> {
      if (!lease.reused() || !isDeadConnection(e)) {
        return Future.failedFuture(e);
      }
      return acquire().compose(fresh -> work.apply(fresh.channel()).andThen(ar -> release(fresh.channel())));
    }));
  }

  /** A bind connection lent out, and whether it served before (and so may have died idle). */
  private record Lease(LdapChannel channel, boolean reused) {}

  private Future<LdapChannel> searchChannel() {
    if (search == null || search.failed() || (search.succeeded() && !search.result().isOpen())) {
      search = connector.open(true).onSuccess(LdapChannel::coalesceFlushes);
      search.onComplete(ar -> searchOpen = ar.succeeded() ? 1 : 0);
    }
    return search;
  }

  private Future<Lease> acquire() {
    if (closed) {
      return Future.failedFuture(new LDAPException(ResultCode.SERVER_DOWN, "the directory is closed"));
    }
    while (!idle.isEmpty()) {
      LdapChannel channel = idle.pop();
      bindsIdle = idle.size();
      if (channel.isOpen()) {
        return Future.succeededFuture(new Lease(channel, true));
      }
      bindsOpen--;
    }
    if (bindsOpen < maxBinds) {
      bindsOpen++;
      return connector.open(false).onFailure(e -> bindsOpen--).map(channel -> new Lease(channel, false));
    }
    Promise<Lease> waiter = Promise.promise();
    waiters.add(waiter);
    vertx.setTimer(waitMillis, t -> {
      if (waiters.remove(waiter)) {
        waiter.fail(new LDAPException(ResultCode.CONNECT_ERROR, EXHAUSTED));
      }
    });
    return waiter.future();
  }

  private void release(LdapChannel channel) {
    boolean usable = channel.isOpen() && !closed && System.currentTimeMillis() - channel.openedAt() < MAX_AGE_MILLIS;
    if (!usable) {
      channel.close();
      bindsOpen--;
      Promise<Lease> waiter = waiters.poll();
      if (waiter != null) {
        bindsOpen++;
        connector.open(false).onFailure(e -> bindsOpen--).map(fresh -> new Lease(fresh, false)).onComplete(waiter);
      }
      return;
    }
    Promise<Lease> waiter = waiters.poll();
    if (waiter != null) {
      waiter.complete(new Lease(channel, true));
    } else {
      idle.push(channel);
      bindsIdle = idle.size();
    }
  }

  private static boolean isDeadConnection(Throwable e) {
    return e instanceof LDAPException ldap && ldap.getResultCode() == ResultCode.SERVER_DOWN;
  }

  /** @return bind connections lent out */
  int bindsInUse() {
    return bindsOpen - bindsIdle;
  }

  /** @return bind connections waiting in the pool */
  int bindsIdle() {
    return bindsIdle;
  }

  /** @return search connections open (0 or 1) */
  int searchOpen() {
    return searchOpen;
  }

  /** Closes every connection; later requests fail. */
  void close() {
    closed = true;
    idle.forEach(LdapChannel::close);
    idle.clear();
    bindsIdle = 0;
    if (search != null && search.succeeded()) {
      search.result().close();
    }
    waiters.forEach(w -> w.tryFail(new LDAPException(ResultCode.SERVER_DOWN, "the directory is closed")));
    waiters.clear();
  }
}
