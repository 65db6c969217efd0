package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit trail over HTTP: what admin changes leave in it, its pages, and its chain check. */
@ExtendWith(NoBlockedThreads.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditApiIT {
  private static AdminHarness admin;
  private static String userId;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
    UUID corp = admin.directory("corp");
    userId = admin.insertUser(corp, "audited", null, null, null, "pending", "ldap_sync").toString();
    transition("active", "hired");
    transition("suspended", "leave");
    transition("active", "back");
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static void transition(String to, String reason) {
    HttpResponse<Buffer> done = admin.request(HttpMethod.POST, "/admin/v1/users/" + userId + "/lifecycle/transition",
        admin.operatorKey).sendJsonObject(new JsonObject().put("to", to).put("reason", reason)).await();
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
  }

  private static HttpResponse<Buffer> get(String pathAndQuery) {
    return admin.request(HttpMethod.GET, "/admin/v1" + pathAndQuery, admin.auditorKey).send().await();
  }

  @Test
  void theTrailListsChangesNewestFirstPageByPageWithFilters() {
    HttpResponse<Buffer> first = get("/audit?targetType=user&targetId=" + userId + "&limit=2");
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    JsonArray items = first.bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(2);
    JsonObject newest = items.getJsonObject(0);
    assertThat(newest.getString("action")).isEqualTo("user.lifecycle.activated");
    assertThat(newest.getString("reason")).isEqualTo("back");
    assertThat(newest.getString("actorType")).isEqualTo("api_key");
    assertThat(newest.getJsonObject("oldState")).isEqualTo(new JsonObject().put("status", "suspended"));
    assertThat(newest.getJsonObject("newState")).isEqualTo(new JsonObject().put("status", "active"));
    assertThat(newest.getString("ip")).isEqualTo("127.0.0.1");
    assertThat(newest.getString("prevHash")).isEqualTo(items.getJsonObject(1).getString("hash"));
    String cursor = first.bodyAsJsonObject().getString("nextCursor");
    assertThat(cursor).isNotBlank();

    JsonObject last = get("/audit?targetId=" + userId + "&limit=2&cursor=" + cursor).bodyAsJsonObject();
    assertThat(last.getJsonArray("items")).hasSize(1);
    assertThat(last.getJsonArray("items").getJsonObject(0).getString("reason")).isEqualTo("hired");
    assertThat(last.containsKey("nextCursor")).isFalse();

    assertThat(get("/audit?action=user.lifecycle.suspended").bodyAsJsonObject().getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getString("reason")).containsExactly("leave");
    String actor = newest.getString("actor");
    assertThat(get("/audit?actor=" + actor + "&from=2000-01-01T00:00:00Z").bodyAsJsonObject()
        .getJsonArray("items")).hasSize(3);
    assertThat(get("/audit?to=2000-01-01T00:00:00Z").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void badFiltersAndCursorsAreRefused() {
    assertInvalid(get("/audit?cursor=abc"), "query", "cursor");
    assertInvalid(get("/audit?from=yesterday"), "query", "from");
    assertInvalid(get("/audit?limit=0"), "query", "limit");
    assertThat(admin.request(HttpMethod.GET, "/admin/v1/audit", null).send().await().statusCode()).isEqualTo(401);
  }

  @Test
  @Order(Integer.MAX_VALUE) // it breaks the chain for good
  void theChainCheckFindsARowAlteredBehindTheApisBack() {
    JsonObject intact = get("/audit/verify").bodyAsJsonObject();
    assertThat(intact.getBoolean("intact")).isTrue();
    assertThat(intact.getLong("checked")).isGreaterThanOrEqualTo(3L);

    // A superuser can switch the trigger off; the chain still tells.
    long target = get("/audit?action=user.lifecycle.suspended").bodyAsJsonObject().getJsonArray("items")
        .getJsonObject(0).getLong("id");
    admin.pool.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").execute().await();
    admin.pool.query("UPDATE audit_log SET reason = 'nothing to see' WHERE id = " + target).execute().await();
    admin.pool.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only").execute().await();

    HttpResponse<Buffer> broken = get("/audit/verify");
    assertThat(broken.statusCode()).isEqualTo(200);
    assertThat(broken.bodyAsJsonObject().getBoolean("intact")).isFalse();
    assertThat(broken.bodyAsJsonObject().getLong("brokenId")).isEqualTo(target);
    assertThat(broken.bodyAsJsonObject().getString("problem")).isNotBlank();
  }
}
