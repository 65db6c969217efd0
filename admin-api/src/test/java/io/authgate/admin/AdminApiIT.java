package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.config.Secret;
import io.authgate.core.identity.Principal;
import io.authgate.core.session.IssuedSession;
import io.authgate.core.session.RedisSessionStore;
import io.authgate.core.testing.NoBlockedThreads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin port as a whole: the contract, the docs page, routing errors, sessions, stats, health. */
@ExtendWith(NoBlockedThreads.class)
class AdminApiIT {
  private static AdminHarness admin;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static HttpResponse<Buffer> get(String path, String key) {
    return admin.request(HttpMethod.GET, path, key).send().await();
  }

  @Test
  void theContractIsServedByteForByteWithoutAKey() throws IOException {
    byte[] resource;
    try (InputStream in = AdminApiIT.class.getClassLoader().getResourceAsStream("openapi/admin-v1.yaml")) {
      resource = in.readAllBytes();
    }
    HttpResponse<Buffer> served = get("/admin/v1/openapi.yaml", null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.getHeader("content-type")).startsWith("application/yaml");
    assertThat(served.body().getBytes()).isEqualTo(resource);
  }

  @Test
  void theDocsPageLoadsEveryAssetFromThisServer() {
    HttpResponse<Buffer> page = get("/admin/v1/docs", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.getHeader("content-security-policy")).startsWith("default-src 'self'");
    String html = page.bodyAsString();
    assertThat(html).doesNotContain("http://", "https://", "//cdn");
    Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
    int count = 0;
    while (assets.find()) {
      HttpResponse<Buffer> asset = get(assets.group(1), null);
      assertThat(asset.statusCode()).as(assets.group(1)).isEqualTo(200);
      assertThat(asset.body().length()).as(assets.group(1)).isGreaterThan(100);
      count++;
    }
    assertThat(count).isGreaterThanOrEqualTo(4);
    assertThat(get("/admin/v1/docs/assets/swagger-ui-bundle.js", null).getHeader("content-type"))
        .contains("javascript");
    assertThat(get("/admin/v1/docs/init.js", null).bodyAsString()).contains("/admin/v1/openapi.yaml");
  }

  @Test
  void unknownEndpointsAndMethodsAreProblems() {
    assertProblem(get("/admin/v1/nothing-here", admin.auditorKey), 404, "not-found");
    assertProblem(get("/nothing-here", null), 404, "not-found");
    HttpResponse<Buffer> delete = admin.request(HttpMethod.DELETE, "/admin/v1/users/" + UUID.randomUUID(),
        admin.operatorKey).send().await();
    assertProblem(delete, 405, "method-not-allowed");
  }

  @Test
  void everyAnswerCarriesARequestId() {
    HttpResponse<Buffer> fresh = get("/admin/v1/users", admin.auditorKey);
    assertThat(fresh.getHeader("x-request-id")).matches("[0-9a-f]{32}");
    HttpResponse<Buffer> echoed = admin.request(HttpMethod.GET, "/admin/v1/users", null)
        .putHeader("X-Request-Id", "trace-42").send().await();
    assertThat(echoed.statusCode()).isEqualTo(401);
    assertThat(echoed.getHeader("x-request-id")).isEqualTo("trace-42");
  }

  @Test
  void healthAndMetricsStillAnswerOnTheAdminPort() {
    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
    assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
  }

  @Test
  void revokingEndsEverySessionOfTheAccountOnTheSharedStore() {
    String directory = "sess" + UUID.randomUUID().toString().substring(0, 8);
    UUID dir = admin.directory(directory);
    UUID alice = admin.insertUser(dir, "Alice", null, null, null, "active", "ldap_sync");
    UUID bob = admin.insertUser(dir, "bob", null, null, null, "active", "ldap_sync");
    // A gateway's session store: same Redis, same hmacKey.
    RedisSessionStore gateway = new RedisSessionStore(admin.vertx, admin.platform.redis().orElseThrow(),
        admin.platform.config().session(), admin.platform.broadcaster(), new SimpleMeterRegistry());
    CredentialVerifier keys = CredentialVerifier.withKey(Secret.of(AdminHarness.HMAC_KEY));
    String aliceKey = keys.userKey(directory, "alice");
    Principal principal = new Principal("alice", "uid=alice", null, null, List.of(), directory);
    IssuedSession first = gateway.open(aliceKey, principal, List.of()).await();
    IssuedSession second = gateway.open(aliceKey, principal, List.of()).await();
    IssuedSession bobs = gateway.open(keys.userKey(directory, "bob"), principal, List.of()).await();

    assertProblem(admin.request(HttpMethod.DELETE, "/admin/v1/users/" + alice + "/sessions", admin.auditorKey).send()
        .await(), 403, "forbidden");
    HttpResponse<Buffer> revoked = admin.request(HttpMethod.DELETE, "/admin/v1/users/" + alice + "/sessions",
        admin.operatorKey).send().await();
    assertThat(revoked.statusCode()).as(revoked.bodyAsString()).isEqualTo(200);
    assertThat(revoked.bodyAsJsonObject()).isEqualTo(new JsonObject().put("revoked", 2));
    // The gateway hears of the revocation over Redis pub/sub: its local copy goes within moments.
    assertThat(eventuallyGone(gateway, first)).isTrue();
    assertThat(eventuallyGone(gateway, second)).isTrue();
    assertThat(gateway.find(bobs.token()).await()).isNotNull();

    assertThat(admin.request(HttpMethod.DELETE, "/admin/v1/users/" + alice + "/sessions", admin.operatorKey).send()
        .await().bodyAsJsonObject()).isEqualTo(new JsonObject().put("revoked", 0));
    assertProblem(admin.request(HttpMethod.DELETE, "/admin/v1/users/" + UUID.randomUUID() + "/sessions",
        admin.operatorKey).send().await(), 404, "not-found");
    gateway.close().await();
    assertThat(bob).isNotNull();
  }

  private static boolean eventuallyGone(RedisSessionStore store, IssuedSession session) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (store.find(session.token()).await() == null) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Test
  void theOverviewCountsAccountsAndShowsDirectoryHealth() {
    admin.pool.query("DELETE FROM users").execute().await();
    UUID corp = admin.directory("statscorp");
    admin.pool.preparedQuery("UPDATE directories SET health_status = 'up', health_latency_ms = 7, "
        + "health_checked_at = '2026-11-22T07:00:00Z' WHERE id = $1").execute(Tuple.of(corp)).await();
    for (int i = 0; i < 6; i++) {
      admin.insertUser(corp, "s" + i, null, null, null, i < 4 ? "active" : "suspended", "ldap_sync");
    }
    admin.insertUser(null, "m1", null, null, null, "pending", "manual");
    admin.insertUser(null, "j1", null, null, null, "active", "sso_jit");
    admin.pool.query("UPDATE users SET last_sync_at = '2026-11-22T06:00:00Z' WHERE username = 's1'").execute().await();

    HttpResponse<Buffer> response = get("/admin/v1/stats/overview", admin.auditorKey);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject users = response.bodyAsJsonObject().getJsonObject("users");
    assertThat(users.getLong("total")).isEqualTo(8);
    assertThat(users.getJsonObject("byStatus")).isEqualTo(new JsonObject()
        .put("pending", 1).put("active", 5).put("suspended", 2).put("deprovisioned", 0));
    assertThat(users.getJsonObject("byProvisioningMethod")).isEqualTo(new JsonObject()
        .put("manual", 1).put("ldap_sync", 6).put("sso_jit", 1).put("import", 0).put("scim", 0));
    assertThat(users.getDouble("ldapSyncShare")).isEqualTo(0.75);
    JsonObject directory = response.bodyAsJsonObject().getJsonArray("directories").stream()
        .map(JsonObject.class::cast).filter(d -> d.getString("name").equals("statscorp")).findFirst().orElseThrow();
    assertThat(directory.getLong("users")).isEqualTo(6);
    assertThat(directory.getString("lastSyncAt")).isEqualTo("2026-11-22T06:00:00Z");
    assertThat(directory.getJsonObject("health")).isEqualTo(new JsonObject().put("status", "up")
        .put("checkedAt", "2026-11-22T07:00:00Z").put("latencyMs", 7));
  }
}
