package io.authgate.core.store;

import io.authgate.core.config.PostgresConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Opens the store: migrations (Flyway, over JDBC, once at start) and the reactive pool. */
public final class Postgres {
  private Postgres() {}

  /**
   * @param uri {@code postgresql://user:password@host:port/database}
   * @return the connection options it describes
   * @throws IllegalArgumentException when it cannot be parsed; its message never quotes the URI,
   *     which may carry a password
   */
  public static PgConnectOptions connectOptions(String uri) {
    try {
      return PgConnectOptions.fromUri(uri.replaceFirst("^postgres://", "postgresql://"));
    } catch (RuntimeException e) {
      // The client's message quotes the URI, password included: neither it nor its cause goes on.
      throw new IllegalArgumentException("cannot read the PostgreSQL URL: it must look like "
          + "postgresql://user:password@host:5432/database");
    }
  }

  /**
   * Brings the schema up to date. Blocking: call before any event loop needs the store.
   *
   * @return how many migrations ran
   */
  public static int migrate(PgConnectOptions options) {
    String jdbc = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    MigrateResult result = Flyway.configure()
        .dataSource(jdbc, options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .loggers("slf4j")
        .load()
        .migrate();
    return result.migrationsExecuted;
  }

  /** @return {@link #pool(Vertx, PgConnectOptions, int, Duration)} with the default query timeout */
  public static Pool pool(Vertx vertx, PgConnectOptions options, int size) {
    return pool(vertx, options, size, PostgresConfig.DEFAULT_QUERY_TIMEOUT);
  }

  /**
   * A reactive pool of {@code size} connections. Each keeps its prepared statements, so a query is
   * parsed and planned once per connection, not at every execution, and asks PostgreSQL to cancel
   * any statement that runs longer than {@code queryTimeout} ({@code statement_timeout}, sent when
   * the connection opens): such a statement fails with SQLSTATE 57014 and the connection serves on.
   */
  public static Pool pool(Vertx vertx, PgConnectOptions options, int size, Duration queryTimeout) {
    Map<String, String> properties = new HashMap<>(options.getProperties());
    properties.put("statement_timeout", Long.toString(queryTimeout.toMillis()));
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName("authgate-store").setShared(true))
        .connectingTo(new PgConnectOptions(options).setCachePreparedStatements(true).setProperties(properties))
        .using(vertx)
        .build();
  }
}
