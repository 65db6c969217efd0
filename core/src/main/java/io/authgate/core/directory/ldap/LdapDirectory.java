package io.authgate.core.directory.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.ServerSet;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.DirectoryKind;
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
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An LDAP or Active Directory directory. Each authentication runs on a dedicated worker pool sized
 * with the connection pool, never on an event loop: a search with the service account on the
 * search pool, then a bind as the user on the bind pool, then the groups. Thread-safe.
 */
public final class LdapDirectory implements Directory {
  private final DirectoryConfig config;
  private final WorkerExecutor workers;
  private final LdapPool searchPool;
  private final LdapPool bindPool;
  private final LdapAuthenticator authenticator;
  private final LdapMeters meters;
  private final BindRequest serviceBind;

  private LdapDirectory(DirectoryConfig config, WorkerExecutor workers, LdapPool searchPool, LdapPool bindPool,
                        LdapMeters meters) {
    this.config = config;
    this.workers = workers;
    this.searchPool = searchPool;
    this.bindPool = bindPool;
    this.meters = meters;
    this.serviceBind = LdapConnections.serviceBind(config);
    this.authenticator = new LdapAuthenticator(config, dialect(config.kind()),
        GroupResolver.of(config.groups(), config.baseDn()), searchPool, bindPool, meters);
  }

  /**
   * Opens the directory's pools on its worker pool. A directory that is down does not fail this:
   * connections are made on demand and failures surface per request.
   *
   * @param vertx the Vert.x instance whose worker pool runs the LDAP calls
   * @param config the directory
   * @param registry where the LDAP meters go
   * @return the open directory
   */
  public static Future<Directory> open(Vertx vertx, DirectoryConfig config, MeterRegistry registry) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("authgate-ldap-" + config.name(),
        config.pool().max(), 60, TimeUnit.SECONDS);
    return workers.executeBlocking(() -> {
      LDAPConnectionOptions options = LdapConnections.options(config);
      ServerSet servers = LdapConnections.servers(config, options);
      LdapPool search = new LdapPool(LdapConnections.pool(config, servers, LdapConnections.serviceBind(config),
          config.pool().initial()));
      // Binds are cheap to start: begin small and grow with load.
      LdapPool bind = new LdapPool(LdapConnections.pool(config, servers, null, Math.min(2, config.pool().initial())));
      LdapMeters meters = new LdapMeters(registry, config.name());
      meters.pool("search", search);
      meters.pool("bind", bind);
      return (Directory) new LdapDirectory(config, workers, search, bind, meters);
    }, false).onFailure(e -> workers.close());
  }

  private static DirectoryDialect dialect(DirectoryKind kind) {
    return kind == DirectoryKind.ACTIVE_DIRECTORY ? ActiveDirectoryDialect.INSTANCE : OpenLdapDialect.INSTANCE;
  }

  @Override
  public DirectoryConfig config() {
    return config;
  }

  @Override
  public Future<BindOutcome> authenticate(Credentials credentials) {
    long queuedAt = System.nanoTime();
    return workers.executeBlocking(() -> {
      ensureOffEventLoop();
      if (System.nanoTime() - queuedAt > config.timeouts().poolWait().toNanos()) {
        throw new DirectoryUnavailableException(config.name(), Cause.POOL_EXHAUSTED,
            "waited longer than " + config.timeouts().poolWait() + " for an LDAP worker");
      }
      try {
        return authenticator.authenticate(credentials);
      } catch (LDAPException e) {
        throw unavailable(e);
      }
    }, false);
  }

  @Override
  public Future<Long> probe() {
    return workers.executeBlocking(() -> {
      ensureOffEventLoop();
      long start = System.nanoTime();
      try {
        searchPool.run(connection -> {
          if (serviceBind != null) {
            connection.bind(serviceBind.duplicate());
          }
          if (connection.getEntry(config.baseDn(), "1.1") == null) {
            throw new LDAPException(ResultCode.NO_SUCH_OBJECT, "base DN " + config.baseDn() + " not found");
          }
          return null;
        });
        meters.operation(LdapMeters.PROBE, "success");
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      } catch (LDAPException e) {
        meters.operation(LdapMeters.PROBE, "error");
        throw unavailable(e);
      }
    }, false);
  }

  @Override
  public Future<Void> close() {
    meters.close();
    return workers.executeBlocking(() -> {
      searchPool.close();
      bindPool.close();
      return null;
    }, false).eventually(workers::close).mapEmpty();
  }

  private DirectoryUnavailableException unavailable(LDAPException e) {
    ResultCode code = e.getResultCode();
    Cause cause;
    if (code == ResultCode.TIMEOUT || code == ResultCode.TIME_LIMIT_EXCEEDED) {
      cause = Cause.TIMEOUT;
    } else if (code == ResultCode.CONNECT_ERROR || code == ResultCode.SERVER_DOWN || code == ResultCode.UNAVAILABLE
        || code == ResultCode.BUSY || !code.isConnectionUsable()) {
      cause = Cause.UNREACHABLE;
    } else {
      cause = Cause.SERVER_ERROR;
    }
    return new DirectoryUnavailableException(config.name(), cause, code + ": " + e.getExceptionMessage());
  }

  private static void ensureOffEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("LDAP I/O attempted on an event loop");
    }
  }
}
