package io.authgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.apikeys.ApiKeyRole;
import io.authgate.core.apikeys.ApiKeys;
import io.authgate.core.apikeys.IssuedApiKey;
import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The users endpoints over HTTP, against a real PostgreSQL of this class's own. */
@ExtendWith(NoBlockedThreads.class)
class UsersApiIT {
  private static final String USERS = "/admin/v1/users";
  private static AdminHarness admin;
  private static UUID corp;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
    corp = directory("corp");
    directory("lab");
    // 60 accounts in corp: every third in Engineering, every fifth suspended; 3 more elsewhere.
    for (int i = 0; i < 60; i++) {
      insert(corp, "user" + i, "user" + i + "@corp.example", "User " + i, i % 3 == 0 ? "Engineering" : "Sales",
          i % 5 == 0 ? "suspended" : "active", "ldap_sync");
    }
    insert(null, "Zoë_Admin", "zoe@example.com", "Zoë 100% Admin", "IT", "pending", "manual");
    insert(null, "plus-tag", "plus+tag@example.com", null, null, "active", "manual");
    insert(null, "sso-sam", "Sam.Sso@Example.com", "Sam", null, "active", "sso_jit");
    insert(directory("empty"), "other", null, null, null, "deprovisioned", "import");
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static UUID directory(String name) {
    return admin.directory(name);
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

  private static List<String> usernames(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    response.bodyAsJsonObject().getJsonArray("items").forEach(u -> names.add(((JsonObject) u).getString("username")));
    return names;
  }

  /** Asserts a 400 problem naming one parameter or body field. */
  static void assertInvalid(HttpResponse<Buffer> response, String in, String name) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).isEqualTo("urn:authgate:problem:invalid-request");
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("detail")).contains(name);
    JsonObject param = problem.getJsonArray("invalidParams").getJsonObject(0);
    assertThat(param.getString("in")).isEqualTo(in);
    assertThat(param.getString("name")).isEqualTo(name);
    assertThat(param.getString("reason")).isNotBlank();
  }

  static void assertProblem(HttpResponse<Buffer> response, int status, String type) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("urn:authgate:problem:" + type);
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  @Test
  void filtersNarrowTheListAndCombine() {
    assertThat(usernames(get(USERS + "?status=pending", admin.auditorKey))).containsExactly("Zoë_Admin");
    assertThat(usernames(get(USERS + "?provisioningMethod=sso_jit", admin.auditorKey))).containsExactly("sso-sam");
    assertThat(usernames(get(USERS + "?directory=empty", admin.auditorKey))).containsExactly("other");
    assertThat(usernames(get(USERS + "?directory=lab", admin.auditorKey))).isEmpty();
    // 0, 15, 30, 45: Engineering and suspended.
    assertThat(usernames(get(USERS + "?directory=corp&department=Engineering&status=suspended", admin.auditorKey)))
        .containsExactlyInAnyOrder("user0", "user15", "user30", "user45");
    // Free text: username, email or display name, ignoring case; % is a literal.
    assertThat(usernames(get(USERS + "?q=" + URLEncoder.encode("ZOË", StandardCharsets.UTF_8), admin.auditorKey))).containsExactly("Zoë_Admin");
    assertThat(usernames(get(USERS + "?q=sam.sso%40example", admin.auditorKey))).containsExactly("sso-sam");
    assertThat(usernames(get(USERS + "?q=100%25", admin.auditorKey))).containsExactly("Zoë_Admin");
    assertThat(usernames(get(USERS + "?q=_", admin.auditorKey))).containsExactly("Zoë_Admin");
    assertThat(usernames(get(USERS + "?q=plus%2Btag", admin.auditorKey))).containsExactly("plus-tag");
    assertThat(usernames(get(USERS + "?q=plus+tag", admin.auditorKey))).isEmpty();
    assertThat(usernames(get(USERS + "?q=user%2059", admin.auditorKey))).containsExactly("user59");
  }

  @Test
  void pagesWalkEveryAccountExactlyOnceInIdOrder() {
    HttpResponse<Buffer> first = get(USERS, admin.auditorKey);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getJsonArray("items")).hasSize(50);
    assertThat(first.bodyAsJsonObject().getString("nextCursor")).isNotBlank();

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> page = get(USERS + "?limit=7" + (cursor == null ? "" : "&cursor=" + cursor), admin.auditorKey);
      assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
      JsonArray items = page.bodyAsJsonObject().getJsonArray("items");
      assertThat(items.size()).isBetween(1, 7);
      items.forEach(u -> seen.add(((JsonObject) u).getString("id")));
      cursor = page.bodyAsJsonObject().getString("nextCursor");
      pages++;
    } while (cursor != null);
    List<String> inDatabase = new ArrayList<>();
    admin.pool.query("SELECT resource_id FROM users ORDER BY resource_id").execute().await()
        .forEach(row -> inDatabase.add(row.getUUID(0).toString()));
    assertThat(inDatabase).hasSizeGreaterThanOrEqualTo(64);
    assertThat(seen).isEqualTo(inDatabase);
    assertThat(pages).isEqualTo((inDatabase.size() + 6) / 7);

    // A filtered walk keeps its filter on every page.
    Set<String> engineering = new HashSet<>();
    cursor = null;
    do {
      HttpResponse<Buffer> page = get(USERS + "?department=Engineering&limit=3"
          + (cursor == null ? "" : "&cursor=" + cursor), admin.auditorKey);
      page.bodyAsJsonObject().getJsonArray("items").forEach(u -> {
        assertThat(((JsonObject) u).getString("department")).isEqualTo("Engineering");
        engineering.add(((JsonObject) u).getString("id"));
      });
      cursor = page.bodyAsJsonObject().getString("nextCursor");
    } while (cursor != null);
    assertThat(engineering).hasSize(20);
  }

  @Test
  void badFiltersLimitsAndCursorsAnswer400NamingTheParameter() {
    assertInvalid(get(USERS + "?limit=0", admin.auditorKey), "query", "limit");
    assertInvalid(get(USERS + "?limit=501", admin.auditorKey), "query", "limit");
    assertInvalid(get(USERS + "?limit=ten", admin.auditorKey), "query", "limit");
    assertInvalid(get(USERS + "?status=retired", admin.auditorKey), "query", "status");
    assertInvalid(get(USERS + "?provisioningMethod=magic", admin.auditorKey), "query", "provisioningMethod");
    assertInvalid(get(USERS + "?directory=Not%20A%20Name", admin.auditorKey), "query", "directory");
    assertInvalid(get(USERS + "?cursor=bm9wZQ", admin.auditorKey), "query", "cursor");
    assertInvalid(get(USERS + "?cursor=!!!", admin.auditorKey), "query", "cursor");
    assertThat(get(USERS + "?limit=500", admin.auditorKey).statusCode()).isEqualTo(200);
  }

  @Test
  void getAnswersTheAccountOr404() {
    UUID id = insert(corp, "getme", "getme@corp.example", "Get Me", "Ops", "active", "ldap_sync");
    HttpResponse<Buffer> found = get(USERS + "/" + id, admin.auditorKey);
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.getHeader("content-type")).isEqualTo("application/json");
    JsonObject user = found.bodyAsJsonObject();
    assertThat(user.getString("id")).isEqualTo(id.toString());
    assertThat(user.getString("username")).isEqualTo("getme");
    assertThat(user.getString("directory")).isEqualTo("corp");
    assertThat(user.getString("status")).isEqualTo("active");
    assertThat(user.getString("provisioningMethod")).isEqualTo("ldap_sync");
    assertThat(user.getBoolean("samlLinked")).isFalse();
    assertThat(user.getString("createdAt")).isNotBlank();

    assertProblem(get(USERS + "/" + UUID.randomUUID(), admin.auditorKey), 404, "not-found");
    assertInvalid(get(USERS + "/not-a-uuid", admin.auditorKey), "path", "id");
    admin.pool.preparedQuery("DELETE FROM users WHERE resource_id = $1").execute(Tuple.of(id)).await();
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

    assertInvalid(send(HttpMethod.PATCH, USERS + "/" + id, admin.operatorKey, new JsonObject().put("status", "suspended")),
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
    assertProblem(send(HttpMethod.PATCH, USERS + "/" + id, admin.auditorKey, new JsonObject().put("department", "X")), 403,
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
