package io.authgate.core.config;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Checks the PostgreSQL and Redis URLs at start, as their clients will read them, so a typo stops
 * the start with the key's name instead of failing later in a client. These URLs may carry a
 * password, so no message here quotes them, nor passes on a parser's message (which would).
 */
final class StoreUrls {
  private static final String POSTGRES_FORM = "postgresql://user:password@host:5432/database";
  private static final String REDIS_FORM = "redis://[:password@]host[:port][/database], rediss://… or unix://path";
  /** A database as the path after the host: none, or a number. */
  private static final Pattern DATABASE_PATH = Pattern.compile("/?|/\\d{1,9}");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

  private StoreUrls() {}

  /** @return the URL with {@code jdbc:} dropped and {@code postgres://} read as {@code postgresql://} */
  static String postgres(String value) {
    String url = value.startsWith("jdbc:") ? value.substring(5) : value;
    if (url.startsWith("postgres://")) {
      url = "postgresql://" + url.substring("postgres://".length());
    }
    if (!url.startsWith("postgresql://")) {
      throw new IllegalArgumentException("must look like " + POSTGRES_FORM);
    }
    try {
      PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      // Its message quotes the URL, password included.
      throw new IllegalArgumentException("cannot be read: it must look like " + POSTGRES_FORM
          + ", with a port of 1-65535");
    }
    return url;
  }

  static String redis(String value) {
    if (!value.startsWith("redis://") && !value.startsWith("rediss://") && !value.startsWith("unix://")) {
      throw new IllegalArgumentException("must start with redis://, rediss:// or unix://");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      // Its message quotes the URL, password included.
      throw new IllegalArgumentException("is not a valid URL: it must look like " + REDIS_FORM);
    }
    String db = queryParameter(uri, "db");
    if (db != null && !NUMBER.matcher(db).matches()) {
      throw new IllegalArgumentException("the database in ?db= must be a number");
    }
    switch (uri.getScheme()) {
      case "redis", "rediss" -> {
        if (uri.getHost() == null) {
          throw new IllegalArgumentException("must name a host (letters, digits, dots and hyphens: no "
              + "underscores) and a port only as a number: " + REDIS_FORM);
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
          throw new IllegalArgumentException("port must be between 1 and 65535");
        }
        if (uri.getPath() != null && !DATABASE_PATH.matcher(uri.getPath()).matches()) {
          throw new IllegalArgumentException("the database after the host must be a number, as in redis://host:6379/0");
        }
      }
      case "unix" -> {
        if (uri.getPath() == null || uri.getPath().isEmpty()) {
          throw new IllegalArgumentException("must name the socket's path, as in unix:///run/redis/redis.sock");
        }
      }
      default -> throw new IllegalStateException("scheme checked above");
    }
    return value;
  }

  /** @return the value of a query parameter as the Redis client reads it, or null */
  private static String queryParameter(URI uri, String name) {
    if (uri.getQuery() == null) {
      return null;
    }
    String found = null;
    for (String pair : uri.getQuery().split("&")) {
      int eq = pair.indexOf('=');
      if (eq != -1 && pair.substring(0, eq).equals(name)) {
        found = pair.substring(eq + 1);
      }
    }
    return found;
  }
}
