package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertInvalid;
import static io.authgate.admin.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.apikeys.ApiKeyRole;
import io.authgate.core.apikeys.ApiKeys;
import io.authgate.core.apikeys.IssuedApiKey;
import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Creating and changing users over HTTP, and who may, against a real PostgreSQL of this class's own. */
@ExtendWith(NoBlockedThreads.class)
class UserChangesApiIT {
  private static final String USERS = "/admin/v1/users";
  private static AdminHarness admin;
  private static UUID corp;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
    corp = admin.directory("corp");
    admin.directory("lab");
    insert(corp, "user1", "user1@corp.example", "User 1", "Sales", "active", "ldap_sync");
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static UUID insert(UUID directory, String username, String email, String displayName, String department,
                             String status, String method) {
    return admin.insertUser(directory, username, email, displayName, department, status, method);
  }

  private static HttpResponse<Buffer> get(String path, String key) {
    return admin.request(HttpMethod.GET, path, key).send().await();
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String key, JsonObject body) {
    return admin.request(method, path, key).sendJsonObject(body).await();
  }

  @Test
  void createMakesAManualPendingAccountUnlessActiveIsAsked() {
    HttpResponse<Buffer> created = send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject()
        .put("username", "newbie").put("email", "newbie@example.com").put("firstName", "New").put("department", "Ops"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject user = created.bodyAsJsonObject();
    assertThat(created.getHeader("location")).isEqualTo(USERS + "/" + user.getString("id"));
    assertThat(user.getString("status")).isEqualTo("pending");
    assertThat(user.getString("provisioningMethod")).isEqualTo("manual");
    assertThat(user.getString("firstName")).isEqualTo("New");
    assertThat(user.getString("directory")).isNull();
    assertThat(get(created.getHeader("location"), admin.auditorKey).bodyAsJsonObject()).isEqualTo(user);

    HttpResponse<Buffer> active = send(HttpMethod.POST, USERS, admin.adminKey, new JsonObject()
        .put("username", "corpnew").put("directory", "corp").put("status", "active"));
    assertThat(active.statusCode()).isEqualTo(201);
    assertThat(active.bodyAsJsonObject().getString("status")).isEqualTo("active");
    assertThat(active.bodyAsJsonObject().getString("directory")).isEqualTo("corp");
  }

  @Test
  void createRefusesDuplicatesUnknownDirectoriesAndBadBodies() {
    assertThat(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", "dupe")).statusCode())
        .isEqualTo(201);
    assertProblem(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", "DUPE")), 409,
        "conflict");
    // The same username in a directory is another account.
    assertThat(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", "dupe")
        .put("directory", "lab")).statusCode()).isEqualTo(201);
    // An existing ldap_sync account's username in its directory.
    assertProblem(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", "user1")
        .put("directory", "corp")), 409, "conflict");

    HttpResponse<Buffer> unknown = send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject()
        .put("username", "x1").put("directory", "nowhere"));
    assertProblem(unknown, 422, "unprocessable");
    assertThat(unknown.bodyAsJsonObject().getJsonArray("invalidParams").getJsonObject(0).getString("name"))
        .isEqualTo("/directory");

    assertInvalid(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("email", "a@b.c")), "body",
        "/username");
    assertInvalid(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", "x2")
        .put("status", "suspended")), "body", "/status");
    assertInvalid(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", "x3")
        .put("email", "not-an-email")), "body", "/email");
    assertInvalid(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", "x4")
        .put("password", "secret")), "body", "/password");
    assertInvalid(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", 42)), "body",
        "/username");
    HttpResponse<Buffer> notJson = admin.request(HttpMethod.POST, USERS, admin.operatorKey)
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{\"username\":")).await();
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.getHeader("content-type")).isEqualTo("application/problem+json");
    HttpResponse<Buffer> text = admin.request(HttpMethod.POST, USERS, admin.operatorKey)
        .putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("username=x5")).await();
    assertProblem(text, 415, "unsupported-media-type");
    assertInvalid(admin.request(HttpMethod.POST, USERS, admin.operatorKey).send().await(), "body", "");
    HttpResponse<Buffer> big = admin.request(HttpMethod.POST, USERS, admin.operatorKey)
        .putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("{\"username\":\"" + "x".repeat(70_000) + "\"}")).await();
    assertProblem(big, 413, "too-large");
    assertThat(admin.pool.query("SELECT count(*) FROM users WHERE username LIKE 'x_'").execute().await()
        .iterator().next().getLong(0)).isZero();
  }

  @Test
  void everyChangeIsInTheAuditTrailWithTheKeyThatMadeIt() {
    HttpResponse<Buffer> created = admin.request(HttpMethod.POST, USERS, admin.operatorKey)
        .putHeader("User-Agent", "audit-it/1").sendJsonObject(new JsonObject().put("username", "audited")
            .put("department", "Ops")).await();
    assertThat(created.statusCode()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    assertThat(send(HttpMethod.PATCH, USERS + "/" + id, admin.adminKey, new JsonObject().put("department", "Sales"))
        .statusCode()).isEqualTo(200);
    // A refused change records nothing.
    assertThat(send(HttpMethod.POST, USERS, admin.operatorKey, new JsonObject().put("username", "AUDITED"))
        .statusCode()).isEqualTo(409);

    var rows = admin.pool.preparedQuery("SELECT a.actor, a.actor_type, a.action, a.ip, a.user_agent, a.old_state,"
        + " a.new_state, k.name FROM audit_log a JOIN api_keys k ON k.id::text = a.actor"
        + " WHERE a.target_type = 'user' AND a.target_id = $1 ORDER BY a.id").execute(Tuple.of(id)).await();
    assertThat(rows.size()).isEqualTo(2);
    var it = rows.iterator();
    var create = it.next();
    assertThat(create.getString("action")).isEqualTo("user.created");
    assertThat(create.getString("name")).isEqualTo("it-operator");
    assertThat(create.getString("actor_type")).isEqualTo("api_key");
    assertThat(create.getString("ip")).isEqualTo("127.0.0.1");
    assertThat(create.getString("user_agent")).isEqualTo("audit-it/1");
    assertThat(create.getValue("old_state")).isNull();
    assertThat(((JsonObject) create.getValue("new_state")).getString("department")).isEqualTo("Ops");
    var patch = it.next();
    assertThat(patch.getString("action")).isEqualTo("user.patched");
    assertThat(patch.getString("name")).isEqualTo("it-admin");
    assertThat(((JsonObject) patch.getValue("old_state")).getString("department")).isEqualTo("Ops");
    assertThat(((JsonObject) patch.getValue("new_state")).getString("department")).isEqualTo("Sales");
  }

  @Test
  void patchSetsAndClearsProfileFieldsButNotTheStatus() {
    UUID id = insert(corp, "patchme", "patch@corp.example", "Patch Me", "Sales", "active", "ldap_sync");
    HttpResponse<Buffer> patched = admin.request(HttpMethod.PATCH, USERS + "/" + id, admin.operatorKey)
        .putHeader("content-type", "application/json")
        .sendBuffer(new JsonObject().put("department", "Research").put("displayName", null)
            .put("employeeType", "contractor").put("manager", "cn=boss,dc=example,dc=org").toBuffer()).await();
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    JsonObject user = patched.bodyAsJsonObject();
    assertThat(user.getString("department")).isEqualTo("Research");
    assertThat(user.getString("displayName")).isNull();
    assertThat(user.getString("employeeType")).isEqualTo("contractor");
    assertThat(user.getString("manager")).isEqualTo("cn=boss,dc=example,dc=org");
    assertThat(user.getString("email")).isEqualTo("patch@corp.example");
    assertThat(get(USERS + "/" + id, admin.auditorKey).bodyAsJsonObject()).isEqualTo(user);

    assertInvalid(send(HttpMethod.PATCH, USERS + "/" + id, admin.operatorKey,
            new JsonObject().put("status", "suspended")),
        "body", "/status");
    assertInvalid(send(HttpMethod.PATCH, USERS + "/" + id, admin.operatorKey, new JsonObject()), "body", "");
    assertInvalid(send(HttpMethod.PATCH, USERS + "/" + id, admin.operatorKey, new JsonObject().put("email", "nope")),
        "body", "/email");
    assertProblem(send(HttpMethod.PATCH, USERS + "/" + UUID.randomUUID(), admin.operatorKey,
        new JsonObject().put("department", "X")), 404, "not-found");
    assertThat(get(USERS + "/" + id, admin.auditorKey).bodyAsJsonObject().getString("status")).isEqualTo("active");
  }

  @Test
  void anAuditorMayReadButNotWriteAndNoKeyMayNothing() {
    assertProblem(send(HttpMethod.POST, USERS, admin.auditorKey, new JsonObject().put("username", "auditor-made")), 403,
        "forbidden");
    UUID id = insert(null, "auditpatch", null, null, null, "active", "manual");
    assertProblem(send(HttpMethod.PATCH, USERS + "/" + id, admin.auditorKey,
            new JsonObject().put("department", "X")), 403,
        "forbidden");
    // Authorization comes before validation: an auditor learns nothing about a bad body.
    assertProblem(send(HttpMethod.POST, USERS, admin.auditorKey, new JsonObject()), 403, "forbidden");

    HttpResponse<Buffer> none = get(USERS, null);
    assertProblem(none, 401, "unauthorized");
    assertThat(none.getHeader("www-authenticate")).startsWith("Bearer");
    assertProblem(get(USERS, "agk_wrong"), 401, "unauthorized");
    // A revoked key, and an expired one, are refused like unknown ones.
    ApiKeys keys = new ApiKeys(admin.pool);
    IssuedApiKey revoked = keys.create("it-revoked", ApiKeyRole.ADMIN, null, "test").await();
    assertThat(get(USERS + "?limit=1", revoked.plaintext()).statusCode()).isEqualTo(200);
    keys.revoke(revoked.key().id()).await();
    assertProblem(get(USERS + "?limit=1", revoked.plaintext()), 401, "unauthorized");
    IssuedApiKey expired = keys.create("it-expired", ApiKeyRole.ADMIN, Instant.now().plusSeconds(3600), "test").await();
    admin.pool.preparedQuery("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of(expired.key().id())).await();
    assertProblem(get(USERS + "?limit=1", expired.plaintext()), 401, "unauthorized");
    assertProblem(get(USERS + "?limit=0", null), 401, "unauthorized");
    HttpResponse<Buffer> header = admin.client.get(USERS + "?limit=1").putHeader("X-API-Key", admin.auditorKey).send()
        .await();
    assertThat(header.statusCode()).isEqualTo(200);
    assertThat(admin.pool.query("SELECT count(*) FROM users WHERE username = 'auditor-made'").execute().await()
        .iterator().next().getLong(0)).isZero();
  }
}
