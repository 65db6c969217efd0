package io.authgate.server;

import io.authgate.core.testing.Slapd;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the tests that run the packaged jar share: an HTTP client for the class, and the directory settings. */
@ExtendWith(ServerDiagnostics.class)
abstract class JarClient {
  static Vertx vertx;
  static WebClient http;

  @BeforeAll
  static void client() {
    vertx = Vertx.vertx();
    // A request the server never answers fails after a minute instead of waiting forever.
    http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(10_000).setIdleTimeout(60));
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  /** @return the flat variables pointing the jar at the shared slapd, logins by uid; more can be added */
  static Map<String, String> slapdEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("AUTHGATE_LDAP_URL", Slapd.shared().url());
    env.put("AUTHGATE_LDAP_BASE_DN", Slapd.BASE_DN);
    env.put("AUTHGATE_LDAP_BIND_DN", Slapd.ADMIN_DN);
    env.put("AUTHGATE_LDAP_BIND_PASSWORD", Slapd.ADMIN_PASSWORD);
    env.put("AUTHGATE_LDAP_USER_FILTER", "(uid={username})");
    return env;
  }
}
