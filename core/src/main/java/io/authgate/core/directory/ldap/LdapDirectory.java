package io.authgate.core.directory.ldap;

import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.DirectoryKind;
import io.authgate.core.directory.BindGate;
import io.authgate.core.directory.BindOutcome;
import io.authgate.core.directory.Directory;
import io.authgate.core.directory.DirectoryUnavailableException;
import io.authgate.core.directory.DirectoryUnavailableException.Cause;
import io.authgate.core.directory.ad.ActiveDirectoryDialect;
import io.authgate.core.directory.groups.GroupResolver;
import io.authgate.core.identity.Credentials;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * An LDAP or Active Directory directory, spoken to without blocking: every request runs on the
 * caller's event loop over that event loop's own connections ({@link ChannelPool}), so an
 * authentication never changes threads. Callers outside an event loop are served on the
 * directory's own event loop. Thread-safe.
 */
public final class LdapDirectory implements Directory {
  private final Vertx vertx;
  private final DirectoryConfig config;
  private final LdapConnector connector;
  private final LdapAuthenticator authenticator;
  private final LdapMeters meters;
  private final int bindsPerEventLoop;
  private final Context home;
  /** The key of this directory's pool in each event loop's context data. */
  private final Object poolKey = new Object();
  private final Queue<PoolHandle> pools = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  /** A pool and the event loop it belongs to. */
  private record PoolHandle(Context context, ChannelPool pool) {}

  private LdapDirectory(Vertx vertx, DirectoryConfig config, LdapConnector connector, MeterRegistry registry,
                        int eventLoops) {
    this.vertx = vertx;
    this.config = config;
    this.connector = connector;
    this.meters = new LdapMeters(registry, config.name());
    this.authenticator = new LdapAuthenticator(config, dialect(config.kind()),
        GroupResolver.of(config.groups(), config.baseDn()), meters);
    this.bindsPerEventLoop = Math.max(1, (config.pool().max() + eventLoops - 1) / eventLoops);
    this.home = vertx.getOrCreateContext();
    meters.pools(() -> pools.stream().mapToInt(h -> h.pool().bindsInUse()).sum(),
        () -> pools.stream().mapToInt(h -> h.pool().bindsIdle()).sum(),
        () -> pools.stream().mapToInt(h -> h.pool().searchOpen()).sum());
  }

  /**
   * Opens the directory. A directory that is down does not fail this: connections are made on
   * demand and failures surface per request.
   *
   * @param vertx the Vert.x instance whose event loops run the LDAP requests
   * @param config the directory
   * @param registry where the LDAP meters go
   * @param eventLoops how many event loops will call it; {@code pool.max} bind connections are
   *     shared out between them
   * @return the open directory
   */
  public static Future<Directory> open(Vertx vertx, DirectoryConfig config, MeterRegistry registry, int eventLoops) {
    try {
      return Future.succeededFuture(new LdapDirectory(vertx, config, new LdapConnector(vertx, config), registry,
          eventLoops));
    } catch (LDAPException e) {
      return Future.failedFuture(new IllegalArgumentException("directory " + config.name() + ": " + e.getMessage(), e));
    }
  }

  private static DirectoryDialect dialect(DirectoryKind kind) {
    return kind == DirectoryKind.ACTIVE_DIRECTORY ? ActiveDirectoryDialect.INSTANCE : OpenLdapDialect.INSTANCE;
  }

  @Override
  public DirectoryConfig config() {
    return config;
  }

  @Override
  public Future<BindOutcome> authenticate(Credentials credentials, BindGate gate) {
    return onEventLoop(pool -> authenticator.authenticate(credentials, gate, pool));
  }

  /** Connects afresh, binds as the service account and reads the base entry. */
  @Override
  public Future<Long> probe() {
    return onEventLoop(pool -> {
      long start = System.nanoTime();
      return connector.open(true).compose(channel -> channel.send(new SearchRequestProtocolOp(config.baseDn(),
              SearchScope.BASE, DereferencePolicy.NEVER, 1, 0, true, Filter.createPresenceFilter("objectClass"),
              List.of("1.1")), List.of())
          .andThen(ar -> channel.close()))
          .compose(reply -> reply.code() == ResultCode.SUCCESS && !reply.entries().isEmpty()
              ? Future.succeededFuture((System.nanoTime() - start) / 1_000_000)
              : Future.failedFuture(new LDAPException(ResultCode.NO_SUCH_OBJECT, "base DN " + config.baseDn()
                  + " not found")))
          .andThen(ar -> meters.record(LdapMeters.Operation.PROBE, ar.succeeded() ? LdapMeters.Outcome.SUCCESS
              : LdapMeters.Outcome.ERROR));
    });
  }

  @Override
  public void releaseMeters() {
    meters.close();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    meters.close();
    for (PoolHandle handle : pools) {
      handle.context().runOnContext(v -> handle.pool().close());
    }
    pools.clear();
    return connector.close();
  }

  /**
   * Runs LDAP work on the caller's event loop with that loop's pool (on the directory's own event
   * loop for other callers), and turns LDAP failures into {@link DirectoryUnavailableException}.
   */
  private <T> Future<T> onEventLoop(Function<ChannelPool, Future<T>> work) {
    if (closed) {
      return Future.failedFuture(new DirectoryUnavailableException(config.name(), Cause.UNREACHABLE, "closed"));
    }
    Context current = Vertx.currentContext();
    if (current != null && current.isEventLoopContext()) {
      return work.apply(pool(current)).recover(this::unavailable);
    }
    Promise<T> result = Promise.promise();
    home.runOnContext(v -> work.apply(pool(home)).recover(this::unavailable).onComplete(result));
    return result.future();
  }

  private ChannelPool pool(Context context) {
    ChannelPool pool = context.get(poolKey);
    if (pool == null) {
      pool = new ChannelPool(vertx, connector, bindsPerEventLoop, config.timeouts().poolWait().toMillis());
      context.put(poolKey, pool);
      pools.add(new PoolHandle(context, pool));
    }
    return pool;
  }

  private <T> Future<T> unavailable(Throwable failure) {
    if (!(failure instanceof LDAPException e)) {
      return Future.failedFuture(failure);
    }
    ResultCode code = e.getResultCode();
    Cause cause;
    if (code == ResultCode.CONNECT_ERROR && ChannelPool.EXHAUSTED.equals(e.getDiagnosticMessage())) {
      cause = Cause.POOL_EXHAUSTED;
    } else if (code == ResultCode.TIMEOUT || code == ResultCode.TIME_LIMIT_EXCEEDED) {
      cause = Cause.TIMEOUT;
    } else if (code == ResultCode.CONNECT_ERROR || code == ResultCode.SERVER_DOWN || code == ResultCode.UNAVAILABLE
        || code == ResultCode.BUSY || !code.isConnectionUsable()) {
      cause = Cause.UNREACHABLE;
    } else {
      cause = Cause.SERVER_ERROR;
    }
    return Future.failedFuture(new DirectoryUnavailableException(config.name(), cause,
        code + ": " + e.getExceptionMessage()));
  }
}
