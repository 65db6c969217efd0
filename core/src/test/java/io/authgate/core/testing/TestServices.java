package io.authgate.core.testing;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The real PostgreSQL and Redis the tests use: {@code AUTHGATE_TEST_POSTGRES_URL} (default
 * {@code postgresql://postgres@127.0.0.1:5432/postgres}) and {@code AUTHGATE_TEST_REDIS_URL}
 * (default {@code redis://127.0.0.1:6379/9}, a database index of its own, flushed by tests).
 */
public final class TestServices {
  private TestServices() {}

  /** @return the Redis URL tests use */
  public static String redisUrl() {
    return System.getenv().getOrDefault("AUTHGATE_TEST_REDIS_URL", "redis://127.0.0.1:6379/9");
  }

  /**
   * Empties the tests' Redis database. Call it before starting anything that follows Redis's keys
   * with a key index: a flush makes every index stop answering until it has scanned again, and
   * Redis tells it so a moment after the flush returns.
   */
  public static void flushRedis() {
    Vertx vertx = Vertx.vertx();
    try {
      Redis.createClient(vertx, redisUrl()).send(Request.cmd(Command.FLUSHDB)).await();
    } finally {
      vertx.close().await();
    }
  }

  /** @return the URL of a database the tests may create databases from */
  public static String postgresAdminUrl() {
    return System.getenv().getOrDefault("AUTHGATE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres");
  }

  /**
   * Creates an empty database for one test class, dropped when the JVM exits.
   *
   * @return its {@code postgresql://} URL
   */
  public static String freshDatabase() {
    String name = "authgate_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    String admin = postgresAdminUrl();
    execute(admin, "CREATE DATABASE " + name);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (RuntimeException ignored) {
        // best effort at exit
      }
    }));
    return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
  }

  /** Runs one statement against a database given by URL. */
  public static void execute(String url, String sql) {
    try (Connection connection = jdbc(url); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run \"" + sql + "\" on " + url + ": " + e.getMessage(), e);
    }
  }

  /** @return a JDBC connection for a {@code postgresql://user[:password]@host:port/db} URL */
  public static Connection jdbc(String url) throws SQLException {
    java.net.URI uri = java.net.URI.create(url);
    String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
    return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
        userInfo[0], userInfo.length > 1 ? userInfo[1] : null);
  }
}
