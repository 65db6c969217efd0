package io.authgate.core.testing;

import io.authgate.core.store.Postgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

/**
 * A test class's own store: a fresh database on the local PostgreSQL, migrated, with a Vert.x and a
 * pool on it.
 *
 * @param options where the database is
 * @param vertx the Vert.x the pool runs on
 * @param pool the pool
 */
public record TestStore(PgConnectOptions options, Vertx vertx, Pool pool) {
  /** @return a migrated fresh database and a pool of {@code poolSize} connections to it */
  public static TestStore start(int poolSize) {
    PgConnectOptions options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    Vertx vertx = TestVertx.create();
    return new TestStore(options, vertx, Postgres.pool(vertx, options, poolSize));
  }

  /** Closes the pool, then Vert.x; the database goes when the JVM exits. */
  public void close() {
    pool.close().await();
    vertx.close().await();
  }
}
