package io.authgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes sharing PostgreSQL and Redis, as in production: one runs the gateway and
 * the admin API, the other only a gateway. A suspension through the admin API of the first locks
 * the user out of the second as soon as the news crosses Redis, though the directory still accepts
 * the password.
 */
class SuspendAcrossProcessesIT extends JarClient {
  private static final String ADMIN_KEY = "agk_0123456789abcdef0123456789abcdef_suspend-it-bootstrap-key-0123456789";
  private static final String HMAC_KEY = "suspend-it-" + java.util.UUID.randomUUID();

  @TempDir
  Path workDir;

  private static Map<String, String> env(String database, int port, int adminPort, String roles) {
    Map<String, String> env = slapdEnvironment();
    env.put("AUTHGATE_POSTGRES_URL", database);
    env.put("AUTHGATE_REDIS_URL", TestServices.redisUrl());
    env.put("AUTHGATE_HTTP_PORT", Integer.toString(port));
    env.put("AUTHGATE_ADMIN_PORT", Integer.toString(adminPort));
    env.put("AUTHGATE_ROLES", roles);
    // Shared by both processes, new for each run: Redis outlives the test, so bob's keys must be this run's own.
    env.put("AUTHGATE_CACHE_HMAC_KEY", HMAC_KEY);
    env.put("AUTHGATE_ADMIN_BOOTSTRAP_KEY", ADMIN_KEY);
    return env;
  }

  private static HttpResponse<Buffer> login(int port) {
    return http.post(port, "127.0.0.1", "/v1/auth").sendJsonObject(new JsonObject().put("username", "bob")
        .put("password", "bob-secret-1").put("session", true)).await();
  }

  private static int verify(int port, String token) {
    return http.get(port, "127.0.0.1", "/v1/verify").bearerTokenAuthentication(token).send().await().statusCode();
  }

  private static HttpResponse<Buffer> admin(int adminPort, String path, JsonObject body) {
    return http.post(adminPort, "127.0.0.1", "/admin/v1" + path).bearerTokenAuthentication(ADMIN_KEY)
        .sendJsonObject(body).await();
  }

  @Test
  void aSuspensionLocksTheUserOutOfEveryGatewayAtOnceAndReactivationLetsThemBackIn() throws Exception {
    String database = TestServices.freshDatabase();
    int portA = FreePorts.next();
    int adminA = FreePorts.next();
    int portB = FreePorts.next();
    Path dirA = Files.createDirectories(workDir.resolve("a"));
    Path dirB = Files.createDirectories(workDir.resolve("b"));
    try (ServerProcess a = ServerProcess.start(dirA, env(database, portA, adminA, "gateway,admin-api"))) {
      a.awaitOutput("Press Ctrl-C to stop.", 120);
      try (ServerProcess b = ServerProcess.start(dirB, env(database, portB, FreePorts.next(), "gateway"))) {
        b.awaitOutput("Press Ctrl-C to stop.", 120);

        HttpResponse<Buffer> created = admin(adminA, "/users", new JsonObject().put("username", "bob")
            .put("directory", "default").put("status", "active"));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        String id = created.bodyAsJsonObject().getString("id");

        // Signed in at both gateways: the second holds bob's credentials in its cache and a session.
        assertThat(login(portA).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> atB = login(portB);
        assertThat(atB.statusCode()).isEqualTo(200);
        String token = atB.bodyAsJsonObject().getJsonObject("session").getString("token");
        assertThat(verify(portB, token)).isEqualTo(200);

        HttpResponse<Buffer> suspended = admin(adminA, "/users/" + id + "/lifecycle/transition",
            new JsonObject().put("to", "suspended").put("reason", "security review"));
        assertThat(suspended.statusCode()).as(suspended.bodyAsString()).isEqualTo(200);
        assertThat(suspended.bodyAsJsonObject().getInteger("sessionsRevoked")).isEqualTo(2);

        // The other process is told through Redis (pub/sub, normally within a millisecond of the
        // answer above); from then on it refuses bob from the cache, the session and the directory.
        // A loaded machine (CI, two JVMs still compiling) can delay that hop, so allow it 2 s.
        HttpResponse<Buffer> refused = login(portB);
        long deadline = System.currentTimeMillis() + 2_000;
        while (refused.statusCode() == 200 && System.currentTimeMillis() < deadline) {
          Thread.sleep(20);
          refused = login(portB);
        }
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.bodyAsJsonObject()).isEqualTo(new JsonObject().put("authenticated", false)
            .put("error", "invalid_credentials"));
        assertThat(verify(portB, token)).isEqualTo(401);
        assertThat(login(portA).statusCode()).isEqualTo(401);
        assertThat(http.get(portB, "127.0.0.1", "/metrics").send().await().bodyAsString())
            .containsPattern("authgate_auth_rejections_total\\{[^}]*reason=\"account_suspended\"[^}]*\\} [1-9]");

        HttpResponse<Buffer> active = admin(adminA, "/users/" + id + "/lifecycle/transition",
            new JsonObject().put("to", "active"));
        assertThat(active.statusCode()).as(active.bodyAsString()).isEqualTo(200);
        assertThat(login(portB).statusCode()).isEqualTo(200);
        assertThat(verify(portB, token)).as("a revoked session stays revoked").isEqualTo(401);

        HttpResponse<Buffer> invalid = admin(adminA, "/users/" + id + "/lifecycle/transition",
            new JsonObject().put("to", "pending"));
        assertThat(invalid.statusCode()).isEqualTo(409);
        assertThat(invalid.bodyAsJsonObject().getString("detail")).isEqualTo("Invalid transition from active to pending");
      }
    }
  }
}
