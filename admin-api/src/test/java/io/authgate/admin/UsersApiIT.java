package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertInvalid;
import static io.authgate.admin.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Listing and reading users over HTTP, against a real PostgreSQL of this class's own. */
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

  private static List<String> usernames(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    response.bodyAsJsonObject().getJsonArray("items").forEach(u -> names.add(((JsonObject) u).getString("username")));
    return names;
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
    String zoe = URLEncoder.encode("ZOË", StandardCharsets.UTF_8);
    assertThat(usernames(get(USERS + "?q=" + zoe, admin.auditorKey))).containsExactly("Zoë_Admin");
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
      String next = cursor == null ? "" : "&cursor=" + cursor;
      HttpResponse<Buffer> page = get(USERS + "?limit=7" + next, admin.auditorKey);
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

}
