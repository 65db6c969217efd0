package io.authgate.core.directory.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection pool that hands out a connection for one call, retries once on a fresh connection
 * when a pooled one turns out to be dead (the server restarted), and counts connections in use.
 * Blocking: call only from a worker thread. Thread-safe.
 */
final class LdapPool implements AutoCloseable {
  private final LDAPConnectionPool pool;
  private final AtomicInteger inUse = new AtomicInteger();

  /** One call on a connection. */
  @FunctionalInterface
  interface Call<T> {
    T run(LDAPConnection connection) throws LDAPException;
  }

  LdapPool(LDAPConnectionPool pool) {
    this.pool = pool;
  }

  <T> T run(Call<T> call) throws LDAPException {
    for (int attempt = 0; ; attempt++) {
      LDAPConnection connection = pool.getConnection();
      inUse.incrementAndGet();
      try {
        T result = call.run(connection);
        pool.releaseConnection(connection);
        return result;
      } catch (LDAPException e) {
        if (e.getResultCode().isConnectionUsable()) {
          pool.releaseConnection(connection);
          throw e;
        }
        pool.releaseDefunctConnection(connection);
        // A pooled connection the server closed fails at once with SERVER_DOWN: worth one retry.
        // A timeout or a refused connect is not: retrying would only double the wait.
        if (attempt > 0 || e.getResultCode() != ResultCode.SERVER_DOWN) {
          throw e;
        }
      } catch (RuntimeException e) {
        pool.releaseDefunctConnection(connection);
        throw e;
      } finally {
        inUse.decrementAndGet();
      }
    }
  }

  /** @return connections currently lent out */
  int inUse() {
    return inUse.get();
  }

  /** @return idle connections in the pool */
  int idle() {
    return pool.getCurrentAvailableConnections();
  }

  @Override
  public void close() {
    pool.close();
  }
}
