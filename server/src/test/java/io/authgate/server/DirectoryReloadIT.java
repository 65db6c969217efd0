package io.authgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A directory created, changed and deleted through the admin API of one process reaches a gateway
 * in another (its own Vert.x, sharing only PostgreSQL and Redis) without a restart, and a gateway
 * started later loads it from the store.
 */
class DirectoryReloadIT {
  private static final String ADMIN_KEY = "agk_0123456789abcdef0123456789abcdef_reload-it-bootstrap-key-abcdefghijklmnop";
  private static final String MASTER_KEY = "ZGlyZWN0b3J5LXJlbG9hZC1pdC1tYXN0ZXIta2V5ISE=";
  /** Fresh at every run: Redis outlives a run, and its cached credentials must not answer this one. */
  private static final String HMAC_KEY = "reload-it-" + java.util.UUID.randomUUID();
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  private static InMemoryLdap corp;
  private static InMemoryLdap partners;
  private static Vertx vertx;
  private static WebClient http;

  @BeforeAll
  static void start() {
    corp = InMemoryLdap.start();
    partners = InMemoryLdap.start();
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    http.close();
    vertx.close().await();
    corp.close();
    partners.close();
  }

  private static AuthgateServer server(String roles, String postgresUrl, int port, int adminPort) throws Exception {
    Path file = Files.createTempFile("authgate-reload", ".yaml");
    Files.writeString(file, """
        roles: [%s]
        directories:
          - name: corp
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: "%s"
            bindPassword: "%s"
        postgres: {url: "%s"}
        redis: {url: "%s"}
        cache: {hmacKey: %s}
        store: {masterKey: "%s"}
        admin: {bootstrapKey: "%s"}
        """.formatted(roles, corp.url(), InMemoryLdap.SERVICE_DN, InMemoryLdap.SERVICE_PASSWORD, postgresUrl,
        TestServices.redisUrl(), HMAC_KEY, MASTER_KEY, ADMIN_KEY));
    AuthgateConfig config = ConfigLoader.withEnvironment(Map.of("AUTHGATE_HTTP_PORT", Integer.toString(port),
        "AUTHGATE_ADMIN_PORT", Integer.toString(adminPort))).load(Optional.of(file));
    Files.delete(file);
    return AuthgateServer.start(config);
  }

  private static HttpResponse<Buffer> login(int port, String username, String password, String realm) {
    return http.post(port, "127.0.0.1", "/v1/auth").sendJsonObject(new JsonObject().put("username", username)
        .put("password", password).put("realm", realm)).await();
  }

  private static HttpResponse<Buffer> admin(int adminPort, io.vertx.core.http.HttpMethod method, String path,
                                            JsonObject body) {
    var request = http.request(method, adminPort, "127.0.0.1", "/admin/v1" + path).bearerTokenAuthentication(ADMIN_KEY);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  /** Asks again until the answer passes, or the patience runs out; returns the last answer. */
  private static HttpResponse<Buffer> eventually(Supplier<HttpResponse<Buffer>> ask,
                                                 Predicate<HttpResponse<Buffer>> done) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    HttpResponse<Buffer> last = ask.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = ask.get();
    }
    return last;
  }

  @Test
  void aDirectoryChangedThroughTheApiReachesARunningGatewayWithoutARestart() throws Exception {
    String store = TestServices.freshDatabase();
    int gatewayPort = FreePorts.next();
    int adminPort = FreePorts.next();
    AuthgateServer gateway = server("gateway", store, gatewayPort, FreePorts.next());
    AuthgateServer adminApi = server("admin-api", store, FreePorts.next(), adminPort);
    AuthgateServer later = null;
    try {
      assertThat(login(gatewayPort, "alice", "alice-secret-1", "partners").statusCode()).isEqualTo(400);

      HttpResponse<Buffer> created = admin(adminPort, io.vertx.core.http.HttpMethod.POST, "/directories",
          new JsonObject().put("name", "partners").put("urls", new JsonArray().add(partners.url()))
              .put("baseDn", "dc=example,dc=org").put("bindDn", InMemoryLdap.SERVICE_DN)
              .put("bindPassword", InMemoryLdap.SERVICE_PASSWORD).put("emailDomains", new JsonArray().add("partners.test")));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String path = "/directories/" + created.bodyAsJsonObject().getString("id");

      HttpResponse<Buffer> granted = eventually(() -> login(gatewayPort, "alice", "alice-secret-1", "partners"),
          r -> r.statusCode() == 200);
      assertThat(granted.statusCode()).as(granted.bodyAsString()).isEqualTo(200);
      assertThat(granted.bodyAsJsonObject().getJsonObject("user").getString("directory")).isEqualTo("partners");

      later = server("gateway", store, FreePorts.next(), FreePorts.next());
      int laterPort = later.config().http().port();
      HttpResponse<Buffer> atStart = login(laterPort, "carol", "carol-secret-1", "partners");
      assertThat(atStart.statusCode()).as("loaded at start: " + atStart.bodyAsString()).isEqualTo(200);

      HttpResponse<Buffer> wrong = admin(adminPort, io.vertx.core.http.HttpMethod.PUT, path, new JsonObject()
          .put("name", "partners").put("urls", new JsonArray().add(partners.url())).put("baseDn", "dc=example,dc=org")
          .put("bindDn", InMemoryLdap.SERVICE_DN).put("bindPassword", "not-the-service-password"));
      assertThat(wrong.statusCode()).as(wrong.bodyAsString()).isEqualTo(200);
      // Until the gateway reloads, a login finds no such user (401); credentials cached before a change
      // keep answering until they expire, so each try names a user never seen.
      AtomicInteger tries = new AtomicInteger();
      HttpResponse<Buffer> reloaded = eventually(() -> login(gatewayPort, "nobody" + tries.incrementAndGet(), "x",
          "partners"), r -> r.statusCode() == 503);
      assertThat(reloaded.statusCode()).as(reloaded.bodyAsString()).isEqualTo(503);
      HttpResponse<Buffer> unavailable = login(gatewayPort, "bob", "bob-secret-1", "partners");
      assertThat(unavailable.statusCode()).as(unavailable.bodyAsString()).isEqualTo(503);
      assertThat(unavailable.bodyAsJsonObject().getString("error")).isEqualTo("directory_unavailable");
      JsonObject test = admin(adminPort, io.vertx.core.http.HttpMethod.POST, path + "/test", null).bodyAsJsonObject();
      assertThat(test.getString("error")).isEqualTo("bind refused");
      assertThat(login(gatewayPort, "alice", "alice-secret-1", "corp").statusCode())
          .as("the configured directory is untouched").isEqualTo(200);

      assertThat(admin(adminPort, io.vertx.core.http.HttpMethod.DELETE, path, null).statusCode()).isEqualTo(204);
      HttpResponse<Buffer> gone = eventually(() -> login(gatewayPort, "alice", "alice-secret-1", "partners"),
          r -> r.statusCode() == 400);
      assertThat(gone.statusCode()).as(gone.bodyAsString()).isEqualTo(400);
      HttpResponse<Buffer> goneLater = eventually(() -> login(laterPort, "dave", "dave-secret-1", "partners"),
          r -> r.statusCode() == 400);
      assertThat(goneLater.statusCode()).as(goneLater.bodyAsString()).isEqualTo(400);
    } finally {
      if (later != null) {
        later.stop();
      }
      adminApi.stop();
      gateway.stop();
    }
  }
}
