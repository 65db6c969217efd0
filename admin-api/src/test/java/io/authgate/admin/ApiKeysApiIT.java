package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertDetail;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issuing, listing and revoking API keys over HTTP, against a real PostgreSQL. */
@ExtendWith(NoBlockedThreads.class)
class ApiKeysApiIT {
  private static final String KEYS = "/admin/v1/api-keys";
  private static AdminHarness admin;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static HttpResponse<Buffer> create(String key, JsonObject body) {
    return admin.request(HttpMethod.POST, KEYS, key).sendJsonObject(body).await();
  }

  @Test
  void anIssuedKeyWorksOnceShownAndStopsWorkingWhenRevoked() {
    HttpResponse<Buffer> issued = create(admin.adminKey, new JsonObject().put("name", "ci").put("role", "operator")
        .put("expiresAt", "2099-01-01T00:00:00Z"));
    assertThat(issued.statusCode()).as(issued.bodyAsString()).isEqualTo(201);
    JsonObject body = issued.bodyAsJsonObject();
    String key = body.getString("key");
    assertThat(key).startsWith("agk_");
    assertThat(body.getString("role")).isEqualTo("operator");
    assertThat(body.getString("expiresAt")).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(issued.getHeader("location")).isEqualTo(KEYS + "/" + body.getString("id"));

    assertThat(admin.request(HttpMethod.GET, "/admin/v1/users", key).send().await().statusCode()).isEqualTo(200);
    String listed = admin.request(HttpMethod.GET, KEYS, admin.auditorKey).send().await().bodyAsString();
    assertThat(listed).contains(body.getString("id")).doesNotContain(key.substring(key.lastIndexOf('_') + 1));

    HttpResponse<Buffer> revoked = admin.request(HttpMethod.DELETE, KEYS + "/" + body.getString("id"), admin.adminKey)
        .send().await();
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(revoked.bodyAsJsonObject().getString("revokedAt")).isNotNull();
    assertThat(admin.request(HttpMethod.GET, "/admin/v1/users", key).send().await().statusCode()).isEqualTo(401);

    Row audit = admin.pool.query("SELECT count(*) AS n, bool_or(new_state::text LIKE '%agk_%') AS leaked FROM audit_log"
        + " WHERE target_type = 'api_key'").execute().await().iterator().next();
    assertThat(audit.getLong("n")).isEqualTo(2L);
    assertThat(audit.getBoolean("leaked")).isFalse();
  }

  @Test
  void onlyAdminsIssueOrRevokeAndBadRequestsAreRefused() {
    assertDetail(create(admin.operatorKey, new JsonObject().put("name", "x").put("role", "admin")), 403,
        "only the admin role may issue or revoke API keys");
    assertThat(create(admin.auditorKey, new JsonObject().put("name", "x").put("role", "auditor")).statusCode())
        .isEqualTo(403);
    assertThat(create(admin.adminKey, new JsonObject().put("name", "x").put("role", "root")).statusCode())
        .isEqualTo(400);
    assertThat(create(admin.adminKey, new JsonObject().put("name", "old").put("role", "auditor")
        .put("expiresAt", "2001-01-01T00:00:00Z")).statusCode()).isEqualTo(422);
    assertThat(admin.request(HttpMethod.DELETE, KEYS + "/" + UUID.randomUUID(), admin.adminKey).send().await()
        .statusCode()).isEqualTo(404);
  }
}
