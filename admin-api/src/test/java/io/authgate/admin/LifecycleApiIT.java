package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertDetail;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.identity.Principal;
import io.authgate.core.runtime.Accounts;
import io.authgate.core.session.IssuedSession;
import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lifecycle transitions, offboarding and a user's sessions over HTTP, against real PostgreSQL and Redis. */
@ExtendWith(NoBlockedThreads.class)
class LifecycleApiIT {
  private static AdminHarness admin;
  private static UUID corp;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
    corp = admin.directory("corp");
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static UUID user(String username, String status) {
    return admin.insertUser(corp, username, username + "@corp.example", username, "Ops", status, "ldap_sync");
  }

  private static HttpResponse<Buffer> transition(UUID id, String to, String reason, String key) {
    JsonObject body = new JsonObject().put("to", to);
    if (reason != null) {
      body.put("reason", reason);
    }
    return admin.request(HttpMethod.POST, "/admin/v1/users/" + id + "/lifecycle/transition", key)
        .putHeader("User-Agent", "lifecycle-it").sendJsonObject(body).await();
  }

  private static HttpResponse<Buffer> offboard(UUID id, JsonObject body) {
    return admin.request(HttpMethod.POST, "/admin/v1/users/" + id + "/lifecycle/offboard", admin.operatorKey)
        .sendJsonObject(body).await();
  }

  private static RowSet<Row> audit(UUID id) {
    return admin.pool.preparedQuery("SELECT action, reason, old_state, new_state, user_agent FROM audit_log"
        + " WHERE target_type = 'user' AND target_id = $1 ORDER BY id").execute(Tuple.of(id.toString())).await();
  }

  private static IssuedSession openSession(String username) {
    Accounts accounts = admin.platform.accounts();
    Principal principal = new Principal(username, "uid=" + username + ",dc=example,dc=org", null, null, List.of(),
        "corp");
    return accounts.sessions().open(accounts.verifier().userKey("corp", username), principal, List.of("user"))
        .await();
  }

  @Test
  void accountsMoveAlongTheLifecycleAndEveryOtherMoveIsRefusedWith409() {
    UUID id = user("walker", "pending");
    HttpResponse<Buffer> activated = transition(id, "active", "hired", admin.operatorKey);
    assertThat(activated.statusCode()).as(activated.bodyAsString()).isEqualTo(200);
    assertThat(activated.bodyAsJsonObject().getString("from")).isEqualTo("pending");
    assertThat(activated.bodyAsJsonObject().getString("to")).isEqualTo("active");
    assertThat(activated.bodyAsJsonObject().getJsonObject("user").getString("status")).isEqualTo("active");

    assertDetail(transition(id, "pending", null, admin.operatorKey), 409, "Invalid transition from active to pending");
    assertDetail(transition(id, "active", null, admin.operatorKey), 409, "The account is already active");
    assertThat(transition(id, "suspended", "leave", admin.operatorKey).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> gone = transition(id, "deprovisioned", "left", admin.adminKey);
    assertThat(gone.statusCode()).isEqualTo(200);
    assertThat(Instant.parse(gone.bodyAsJsonObject().getString("anonymiseAt")))
        .isBetween(Instant.now().plus(Duration.ofDays(59)), Instant.now().plus(Duration.ofDays(61)));
    assertDetail(transition(id, "active", null, admin.operatorKey), 409,
        "Invalid transition from deprovisioned to active");
    assertThat(admin.request(HttpMethod.GET, "/admin/v1/users/" + id, admin.auditorKey).send().await()
        .bodyAsJsonObject().getString("status")).isEqualTo("deprovisioned");

    List<String> actions = audit(id).stream().map(row -> row.getString("action")).toList();
    assertThat(actions).containsExactly("user.lifecycle.activated", "user.lifecycle.suspended",
        "user.lifecycle.deprovisioned");
    Row suspended = audit(id).stream().toList().get(1);
    assertThat(suspended.getString("reason")).isEqualTo("leave");
    assertThat(suspended.getString("user_agent")).isEqualTo("lifecycle-it");
    assertThat(((JsonObject) suspended.getValue("old_state")).getString("status")).isEqualTo("active");
    assertThat(((JsonObject) suspended.getValue("new_state")).getString("status")).isEqualTo("suspended");
  }

  @Test
  void badTargetsUnknownAccountsAndAuditorsAreRefused() {
    UUID id = user("checker", "active");
    assertThat(transition(id, "gone", null, admin.operatorKey).statusCode()).isEqualTo(400);
    assertDetail(transition(UUID.randomUUID(), "suspended", null, admin.operatorKey), 404, "no such user");
    assertThat(transition(id, "suspended", null, admin.auditorKey).statusCode()).isEqualTo(403);
    assertThat(transition(id, "suspended", null, null).statusCode()).isEqualTo(401);
    assertThat(audit(id)).isEmpty();
  }

  @Test
  void suspendingEndsEverySessionAndEveryProcessBlocksTheAccount() throws InterruptedException {
    UUID id = user("leaver", "active");
    openSession("leaver");
    openSession("leaver");
    HttpResponse<Buffer> listed = admin.request(HttpMethod.GET, "/admin/v1/users/" + id + "/sessions",
        admin.auditorKey).send().await();
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonArray sessions = listed.bodyAsJsonObject().getJsonArray("items");
    assertThat(sessions).hasSize(2);
    assertThat(sessions.getJsonObject(0).getString("via")).isEqualTo("corp");
    assertThat(sessions.getJsonObject(0).getString("id")).matches("[0-9a-f]{64}");
    assertThat(admin.platform.accounts().blocked().isBlocked("corp", "LEAVER")).isFalse();

    HttpResponse<Buffer> suspended = transition(id, "suspended", "security", admin.operatorKey);
    assertThat(suspended.bodyAsJsonObject().getInteger("sessionsRevoked")).isEqualTo(2);
    assertThat(admin.request(HttpMethod.GET, "/admin/v1/users/" + id + "/sessions", admin.auditorKey).send().await()
        .bodyAsJsonObject().getJsonArray("items")).isEmpty();
    // The announcement goes through Redis pub/sub, back to this process too.
    long deadline = System.currentTimeMillis() + 5_000;
    while (!admin.platform.accounts().blocked().isBlocked("corp", "Leaver") && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(admin.platform.accounts().blocked().isBlocked("corp", "Leaver")).isTrue();

    assertThat(transition(id, "active", "cleared", admin.operatorKey).statusCode()).isEqualTo(200);
    deadline = System.currentTimeMillis() + 5_000;
    while (admin.platform.accounts().blocked().isBlocked("corp", "leaver") && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(admin.platform.accounts().blocked().isBlocked("corp", "leaver")).isFalse();
  }

  @Test
  void oneSessionCanBeEndedByItsId() {
    UUID id = user("twosessions", "active");
    IssuedSession first = openSession("twosessions");
    IssuedSession second = openSession("twosessions");
    String path = "/admin/v1/users/" + id + "/sessions/";
    assertThat(admin.request(HttpMethod.DELETE, path + first.session().id(), admin.operatorKey).send().await()
        .statusCode()).isEqualTo(204);
    assertThat(admin.platform.accounts().sessions().find(first.token()).await()).isNull();
    assertThat(admin.platform.accounts().sessions().find(second.token()).await()).isNotNull();
    assertDetail(admin.request(HttpMethod.DELETE, path + first.session().id(), admin.operatorKey).send().await(), 404,
        "the account has no live session of this id");
    assertThat(admin.request(HttpMethod.DELETE, path + "not-an-id", admin.operatorKey).send().await().statusCode())
        .isEqualTo(400);
    assertThat(audit(id).stream().map(row -> row.getString("action")).toList())
        .containsExactly("user.session.revoked");
  }

  @Test
  void offboardingSuspendsNowAndPlansTheRest() {
    UUID id = user("offboarded", "active");
    HttpResponse<Buffer> done = offboard(id, new JsonObject().put("reason", "left").put("deprovisionAfterDays", 10)
        .put("anonymiseAfterDays", 20));
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
    JsonObject body = done.bodyAsJsonObject();
    assertThat(body.getString("to")).isEqualTo("suspended");
    assertThat(Instant.parse(body.getString("deprovisionAt")))
        .isBetween(Instant.now().plus(Duration.ofDays(10)).minusSeconds(60), Instant.now().plus(Duration.ofDays(10)));
    assertThat(Instant.parse(body.getString("anonymiseAt")))
        .isBetween(Instant.now().plus(Duration.ofDays(20)).minusSeconds(60), Instant.now().plus(Duration.ofDays(20)));
    // Defaults when no delay is given; an offboarded account can be offboarded again (the plan changes).
    JsonObject again = offboard(id, new JsonObject()).bodyAsJsonObject();
    assertThat(Instant.parse(again.getString("deprovisionAt")))
        .isBetween(Instant.now().plus(Duration.ofDays(30)).minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
    assertThat(audit(id).stream().map(row -> row.getString("action")).toList())
        .containsExactly("user.lifecycle.offboarded", "user.lifecycle.offboarded");

    assertDetail(offboard(user("early", "active"), new JsonObject().put("deprovisionAfterDays", 10)
        .put("anonymiseAfterDays", 5)), 422,
        "body parameter /anonymiseAfterDays: anonymisation cannot come before deprovisioning");
    assertDetail(offboard(user("notyet", "pending"), new JsonObject()), 409,
        "Invalid transition from pending to suspended");
    // Reactivation cancels the plan.
    assertThat(transition(id, "active", null, admin.operatorKey).bodyAsJsonObject().containsKey("deprovisionAt"))
        .isFalse();
    assertThat(admin.pool.preparedQuery("SELECT deprovision_at, anonymise_at FROM users WHERE resource_id = $1")
        .execute(Tuple.of(id)).await().iterator().next().getValue(0)).isNull();
  }
}
