package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.crypto.MasterKeys;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.events.Addresses;
import io.authgate.core.store.ManagedDirectories;
import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Directories over HTTP against a real PostgreSQL, Redis and an in-memory LDAP server. */
@ExtendWith(NoBlockedThreads.class)
class DirectoriesApiIT {
  private static final String DIRECTORIES = "/admin/v1/directories";
  private static AdminHarness admin;
  private static InMemoryLdap ldap;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
    ldap = InMemoryLdap.start();
  }

  @AfterAll
  static void stop() {
    admin.close();
    ldap.close();
  }

  private static JsonObject definition(String name) {
    return new JsonObject().put("name", name).put("urls", new JsonArray().add(ldap.url()))
        .put("baseDn", "dc=example,dc=org").put("bindDn", InMemoryLdap.SERVICE_DN)
        .put("bindPassword", InMemoryLdap.SERVICE_PASSWORD);
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String key, JsonObject body) {
    return body == null ? admin.request(method, path, key).send().await()
        : admin.request(method, path, key).sendJsonObject(body).await();
  }

  private static JsonObject created(JsonObject definition) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, DIRECTORIES, admin.adminKey, definition);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static List<Row> audit(String action, String target) {
    return admin.pool.preparedQuery("SELECT * FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id")
        .execute(Tuple.of(action, target)).await().stream().toList();
  }

  @Test
  void aCreatedDirectoryIsReadableWithDefaultsButItsPasswordIsOnlyStoredSealed() throws InterruptedException {
    BlockingQueue<String> announced = new LinkedBlockingQueue<>();
    MessageConsumer<String> consumer = admin.vertx.eventBus().consumer(Addresses.DIRECTORIES_CHANGED,
        m -> announced.add(m.body()));
    consumer.completion().await();
    try {
      HttpResponse<Buffer> response = send(HttpMethod.POST, DIRECTORIES, admin.adminKey,
          definition("partners").put("emailDomains", new JsonArray().add("Partners.Example")));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      JsonObject directory = response.bodyAsJsonObject();
      String id = directory.getString("id");
      assertThat(response.getHeader("location")).isEqualTo(DIRECTORIES + "/" + id);
      assertThat(response.bodyAsString()).doesNotContain(InMemoryLdap.SERVICE_PASSWORD).doesNotContain("v1:");
      assertThat(directory.getString("source")).isEqualTo("api");
      assertThat(directory.getBoolean("bindPasswordSet")).isTrue();
      assertThat(directory.getString("kind")).isEqualTo("openldap");
      assertThat(directory.getString("userFilter")).isEqualTo("(|(uid={username})(mail={username}))");
      assertThat(directory.getJsonObject("pool").getInteger("max")).isEqualTo(20);
      assertThat(directory.getJsonArray("emailDomains")).containsExactly("partners.example");
      assertThat(directory.getJsonObject("health").getString("status")).isEqualTo("unknown");
      assertThat(announced.poll(10, TimeUnit.SECONDS)).isEqualTo(id);

      HttpResponse<Buffer> read = send(HttpMethod.GET, DIRECTORIES + "/" + id, admin.auditorKey, null);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.bodyAsJsonObject()).isEqualTo(directory);
      JsonArray items = send(HttpMethod.GET, DIRECTORIES, admin.auditorKey, null).bodyAsJsonObject()
          .getJsonArray("items");
      assertThat(items.stream().map(o -> ((JsonObject) o).getString("name"))).contains("partners");

      Row row = admin.pool.preparedQuery("SELECT * FROM directories WHERE id = $1")
          .execute(Tuple.of(UUID.fromString(id))).await().iterator().next();
      String sealed = row.getString("bind_password_sealed");
      assertThat(sealed).startsWith("v1:").doesNotContain(InMemoryLdap.SERVICE_PASSWORD);
      assertThat(row.toJson().encode().replace(sealed, "")).doesNotContain(InMemoryLdap.SERVICE_PASSWORD);
      SecretBox box = SecretBox.of(MasterKeys.decode(AdminHarness.MASTER_KEY).orElseThrow());
      assertThat(box.open(sealed, ManagedDirectories.purpose(UUID.fromString(id))))
          .isEqualTo(InMemoryLdap.SERVICE_PASSWORD);

      List<Row> entries = audit("directory.created", id);
      assertThat(entries).hasSize(1);
      assertThat(entries.get(0).getJsonObject("new_state").getString("name")).isEqualTo("partners");
      assertThat(entries.get(0).toJson().encode()).doesNotContain(InMemoryLdap.SERVICE_PASSWORD).doesNotContain(sealed);
    } finally {
      consumer.unregister().await();
    }
  }

  @Test
  void aDefinitionIsCheckedByTheContractThenByTheConfigurationsRules() {
    assertProblem(send(HttpMethod.POST, DIRECTORIES, admin.adminKey, new JsonObject().put("name", "nourls")
        .put("baseDn", "dc=x")), 400, "invalid-request");
    assertProblem(send(HttpMethod.POST, DIRECTORIES, admin.adminKey, definition("Bad Name")), 400, "invalid-request");
    assertProblem(send(HttpMethod.POST, DIRECTORIES, admin.adminKey, definition("extra").put("caFile", "/etc/passwd")),
        400, "invalid-request");
    assertUnprocessable(send(HttpMethod.POST, DIRECTORIES, admin.adminKey,
        definition("badurl").put("urls", new JsonArray().add("http://ldap.example"))), "/urls");
    JsonObject noPassword = definition("nopassword");
    noPassword.remove("bindPassword");
    assertUnprocessable(send(HttpMethod.POST, DIRECTORIES, admin.adminKey, noPassword), "/bindPassword");
    assertUnprocessable(send(HttpMethod.POST, DIRECTORIES, admin.adminKey, definition("slow")
        .put("timeouts", new JsonObject().put("connect", "five seconds"))), "/timeouts/connect");
    assertUnprocessable(send(HttpMethod.POST, DIRECTORIES, admin.adminKey, definition("nofilter")
        .put("userFilter", "(uid=alice)")), "/userFilter");
    assertThat(admin.pool.query("SELECT count(*) FROM directories WHERE name IN ('badurl', 'nopassword', 'slow', "
        + "'nofilter')").execute().await().iterator().next().getLong(0)).isZero();
  }

  private static void assertUnprocessable(HttpResponse<Buffer> response, String pointer) {
    assertProblem(response, 422, "unprocessable");
    JsonObject param = response.bodyAsJsonObject().getJsonArray("invalidParams").getJsonObject(0);
    assertThat(param.getString("name")).isEqualTo(pointer);
    assertThat(response.bodyAsString()).doesNotContain(InMemoryLdap.SERVICE_PASSWORD);
  }

  @Test
  void namesAndEmailDomainsAreUniqueAndOnlyAdminsChangeDirectories() {
    created(definition("unique").put("emailDomains", new JsonArray().add("unique.example")));
    assertProblem(send(HttpMethod.POST, DIRECTORIES, admin.adminKey, definition("unique")), 409, "conflict");
    HttpResponse<Buffer> domain = send(HttpMethod.POST, DIRECTORIES, admin.adminKey, definition("other")
        .put("emailDomains", new JsonArray().add("unique.example")));
    assertProblem(domain, 409, "conflict");
    assertThat(domain.bodyAsJsonObject().getString("detail")).contains("unique.example").contains("unique");
    assertProblem(send(HttpMethod.POST, DIRECTORIES, admin.operatorKey, definition("byoperator")), 403, "forbidden");
    assertProblem(send(HttpMethod.POST, DIRECTORIES, admin.auditorKey, definition("byauditor")), 403, "forbidden");
    assertProblem(send(HttpMethod.POST, DIRECTORIES, null, definition("anonymous")), 401, "unauthorized");
    assertProblem(send(HttpMethod.GET, DIRECTORIES + "/" + UUID.randomUUID(), admin.auditorKey, null), 404,
        "not-found");
    assertProblem(send(HttpMethod.GET, DIRECTORIES + "/not-a-uuid", admin.auditorKey, null), 400, "invalid-request");
  }

  @Test
  void replacingKeepsTheStoredPasswordUnlessANewOneIsGivenAndTheTestSaysWhetherItBinds() {
    JsonObject directory = created(definition("replaced"));
    String path = DIRECTORIES + "/" + directory.getString("id");
    JsonObject kept = definition("replaced").put("userFilter", "(uid={username})");
    kept.remove("bindPassword");
    HttpResponse<Buffer> replaced = send(HttpMethod.PUT, path, admin.adminKey, kept);
    assertThat(replaced.statusCode()).as(replaced.bodyAsString()).isEqualTo(200);
    assertThat(replaced.bodyAsJsonObject().getString("userFilter")).isEqualTo("(uid={username})");
    assertThat(replaced.bodyAsJsonObject().getBoolean("bindPasswordSet")).isTrue();
    JsonObject ok = send(HttpMethod.POST, path + "/test", admin.operatorKey, null).bodyAsJsonObject();
    assertThat(ok.getBoolean("ok")).as(ok.encode()).isTrue();
    assertThat(ok.getLong("latencyMs")).isNotNegative();
    JsonObject health = send(HttpMethod.GET, path + "/health", admin.auditorKey, null).bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("up");
    assertThat(health.getString("checkedAt")).isNotNull();

    assertThat(send(HttpMethod.PUT, path, admin.adminKey, definition("replaced").put("bindPassword", "wrong-password"))
        .statusCode()).isEqualTo(200);
    HttpResponse<Buffer> refused = send(HttpMethod.POST, path + "/test", admin.adminKey, null);
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.bodyAsJsonObject().getBoolean("ok")).isFalse();
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("bind refused");
    assertThat(refused.bodyAsString()).doesNotContain("wrong-password");
    assertThat(send(HttpMethod.GET, path + "/health", admin.auditorKey, null).bodyAsJsonObject().getString("status"))
        .isEqualTo("down");

    List<Row> entries = audit("directory.replaced", directory.getString("id"));
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).getJsonObject("old_state").getString("userFilter"))
        .isEqualTo("(|(uid={username})(mail={username}))");
    assertThat(entries.get(0).getJsonObject("new_state").getString("userFilter")).isEqualTo("(uid={username})");
    assertThat(entries.toString()).doesNotContain("wrong-password");

    assertProblem(send(HttpMethod.PUT, DIRECTORIES + "/" + UUID.randomUUID(), admin.adminKey, definition("ghost")),
        404, "not-found");
    assertProblem(send(HttpMethod.PUT, path, admin.operatorKey, definition("replaced")), 403, "forbidden");
  }

  @Test
  void theTestNamesAnUnreachableDirectory() {
    JsonObject directory = created(definition("closed")
        .put("urls", new JsonArray().add("ldap://127.0.0.1:" + FreePorts.next())));
    HttpResponse<Buffer> response = send(HttpMethod.POST, DIRECTORIES + "/" + directory.getString("id") + "/test",
        admin.adminKey, null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getBoolean("ok")).isFalse();
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("connection refused");
    assertProblem(send(HttpMethod.POST, DIRECTORIES + "/" + UUID.randomUUID() + "/test", admin.adminKey, null), 404,
        "not-found");
  }

  @Test
  void configuredDirectoriesAreListedButChangedOnlyInConfiguration() {
    UUID configured = admin.directory("fromconfig");
    String path = DIRECTORIES + "/" + configured;
    JsonObject read = send(HttpMethod.GET, path, admin.auditorKey, null).bodyAsJsonObject();
    assertThat(read.getString("source")).isEqualTo("config");
    assertThat(read.getBoolean("bindPasswordSet")).isFalse();
    HttpResponse<Buffer> put = send(HttpMethod.PUT, path, admin.adminKey, definition("fromconfig"));
    assertProblem(put, 409, "conflict");
    assertThat(put.bodyAsJsonObject().getString("detail")).contains("defined in configuration");
    assertProblem(send(HttpMethod.DELETE, path, admin.adminKey, null), 409, "conflict");
    assertProblem(send(HttpMethod.POST, path + "/test", admin.adminKey, null), 409, "conflict");
  }

  @Test
  void deletingIsRefusedWhileAccountsBelongToTheDirectory() {
    JsonObject busy = created(definition("busy"));
    UUID busyId = UUID.fromString(busy.getString("id"));
    admin.insertUser(busyId, "alice", "alice@example.org", "Alice", "Sales", "active", "ldap_sync");
    HttpResponse<Buffer> refused = send(HttpMethod.DELETE, DIRECTORIES + "/" + busyId, admin.adminKey, null);
    assertProblem(refused, 409, "conflict");
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("1 account(s)");

    JsonObject idle = created(definition("idle"));
    String path = DIRECTORIES + "/" + idle.getString("id");
    assertProblem(send(HttpMethod.DELETE, path, admin.operatorKey, null), 403, "forbidden");
    assertThat(send(HttpMethod.DELETE, path, admin.adminKey, null).statusCode()).isEqualTo(204);
    assertProblem(send(HttpMethod.GET, path, admin.auditorKey, null), 404, "not-found");
    assertProblem(send(HttpMethod.DELETE, path, admin.adminKey, null), 404, "not-found");
    List<Row> entries = audit("directory.deleted", idle.getString("id"));
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).getJsonObject("old_state").getString("name")).isEqualTo("idle");
    assertThat(entries.get(0).getValue("new_state")).isNull();
  }
}
