package io.authgate.server;

import io.authgate.core.testing.Slapd;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What the tests that run the packaged jar share: an HTTP client for the class, and the directory settings. */
abstract class JarClient {
  static Vertx vertx;
  static WebClient http;

  @BeforeAll
  static void client() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
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
