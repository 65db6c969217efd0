package io.authgate.core.config;

import java.time.Duration;
import java.util.List;

/**
 * HTTP listeners. Immutable.
 *
 * @param host the address the gateway and admin listeners bind to
 * @param port the gateway port ({@code /v1/auth}, health, metrics)
 * @param adminPort the admin API port
 * @param instances gateway verticle instances, one per event loop by default
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param trustedProxies addresses or CIDR blocks whose {@code X-Forwarded-For} is believed
 * @param shutdownTimeout how long a stop lets the requests in flight finish, once the listeners
 *     take no new connections, before it closes what is still open
 */
public record HttpConfig(String host, int port, int adminPort, int instances, int maxBodyBytes,
                         List<String> trustedProxies, Duration shutdownTimeout) {
  /** Default gateway port. */
  public static final int DEFAULT_PORT = 8080;
  /** Default admin API port. */
  public static final int DEFAULT_ADMIN_PORT = 8081;
  /** Default body limit: generous for a login, tiny for an attack. */
  public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024;
  /** Default time a stop gives the requests in flight: more than a login takes, less than an orchestrator waits. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  static HttpConfig read(ConfigNode n) {
    int cores = Runtime.getRuntime().availableProcessors();
    HttpConfig config = new HttpConfig(
        n.string("host", "0.0.0.0"),
        n.integer("port", DEFAULT_PORT, 0, 65535),
        n.integer("adminPort", DEFAULT_ADMIN_PORT, 0, 65535),
        n.integer("instances", cores, 1, 256),
        n.integer("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 256, 1024 * 1024),
        n.strings("trustedProxies", List.of()),
        n.duration("shutdownTimeout", DEFAULT_SHUTDOWN_TIMEOUT, "0s", "5m"));
    config.trustedProxies().forEach(p -> {
      if (!p.matches("[0-9a-fA-F:.]+(/\\d{1,3})?")) {
        throw n.problem("trustedProxies", "\"" + p + "\" is not an address or CIDR block");
      }
    });
    if (config.port() != 0 && config.port() == config.adminPort()) {
      throw n.problem("adminPort", "must differ from http.port (" + config.port() + ")");
    }
    n.rejectUnknownKeys();
    return config;
  }
}
