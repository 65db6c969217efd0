package io.authgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import io.authgate.core.runtime.Accounts;
import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Admins signed in at the gateway use the admin API with their session, by the role of their groups. */
@ExtendWith(NoBlockedThreads.class)
class AdminSessionsIT {
  private static AdminHarness admin;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start("""
        admin:
          groups:
            admin: [idm-admins]
            auditor: ["cn=helpdesk,ou=groups,dc=example,dc=org"]
        """);
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static String signIn(String username, String... groups) {
    Accounts accounts = admin.platform.accounts();
    List<Group> memberOf = java.util.Arrays.stream(groups)
        .map(g -> new Group(g, "cn=" + g + ",ou=groups,dc=example,dc=org")).toList();
    Principal principal = new Principal(username, "uid=" + username + ",dc=example,dc=org", null, "Ms " + username,
        memberOf, "corp");
    return accounts.sessions().open(accounts.verifier().userKey("corp", username), principal, List.of()).await()
        .token();
  }

  private static HttpResponse<Buffer> createWithCookie(String token, String contentType, String body) {
    return admin.client.request(HttpMethod.POST, "/admin/v1/users").putHeader("Cookie", "authgate_session=" + token)
        .putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(body)).await();
  }

  @Test
  void anAdminGroupMemberUsesTheirSessionAsBearerOrCookieAndIsAuditedByName() {
    String token = signIn("alice", "IDM-Admins");
    assertThat(admin.request(HttpMethod.GET, "/admin/v1/users", token).send().await().statusCode()).isEqualTo(200);
    HttpResponse<Buffer> created = createWithCookie(token, "application/json", "{\"username\":\"by-session\"}");
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);

    Row entry = admin.pool.query("SELECT actor, actor_type FROM audit_log WHERE action = 'user.created'"
        + " ORDER BY id DESC LIMIT 1").execute().await().iterator().next();
    assertThat(entry.getString("actor")).isEqualTo("corp:alice");
    assertThat(entry.getString("actor_type")).isEqualTo("admin_user");
  }

  @Test
  void aCookieAloneCannotCarryACrossSiteFormPost() {
    String token = signIn("mallory-target", "idm-admins");
    HttpResponse<Buffer> form = createWithCookie(token, "text/plain", "{\"username\":\"csrf\"}");
    assertThat(form.statusCode()).isEqualTo(403);
    assertThat(form.bodyAsJsonObject().getString("detail"))
        .isEqualTo("with the session cookie, send the body as application/json");
  }

  @Test
  void rolesFollowGroupsByNameOrDnAndOthersAreRefused() {
    String auditor = signIn("helen", "helpdesk");
    assertThat(admin.request(HttpMethod.GET, "/admin/v1/audit", auditor).send().await().statusCode()).isEqualTo(200);
    assertThat(admin.request(HttpMethod.POST, "/admin/v1/users", auditor)
        .sendJsonObject(new JsonObject().put("username", "nope")).await().statusCode()).isEqualTo(403);

    String staff = signIn("sam", "staff");
    HttpResponse<Buffer> refused = admin.request(HttpMethod.GET, "/admin/v1/users", staff).send().await();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsJsonObject().getString("detail")).isEqualTo("the signed-in user is in no admin group");

    String unknown = "A".repeat(43);
    assertThat(admin.request(HttpMethod.GET, "/admin/v1/users", unknown).send().await().statusCode()).isEqualTo(401);
    // API keys work as before.
    assertThat(admin.request(HttpMethod.GET, "/admin/v1/users", admin.auditorKey).send().await().statusCode())
        .isEqualTo(200);
  }
}
