package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertInvalid;
import static io.authgate.admin.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.config.AttributeMapping;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.config.Secret;
import io.authgate.core.events.Addresses;
import io.authgate.core.identity.Principal;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.session.RedisSessionStore;
import io.authgate.core.testing.NoBlockedThreads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The identity-provider endpoints over HTTP against a real PostgreSQL and Redis: what each answers,
 * what lands in the table and the audit trail, and the event every gateway hears.
 */
@ExtendWith(NoBlockedThreads.class)
class IdentityProvidersApiIT {
  private static final String IDPS = "/admin/v1/identity-providers";
  private static AdminHarness admin;
  private static IdpFixtures.Pair okta;
  private static IdpFixtures.Pair rotated;
  private static HttpServer metadataServer;
  private static final AtomicReference<String> served = new AtomicReference<>();
  private static final BlockingQueue<String> announced = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
    okta = IdpFixtures.pair("okta-idp");
    rotated = IdpFixtures.pair("okta-idp-rotated");
    metadataServer = admin.vertx.createHttpServer().requestHandler(request -> {
      String body = served.get();
      if (request.path().equals("/metadata.xml") && body != null) {
        request.response().putHeader("content-type", "application/samlmetadata+xml").end(body);
      } else {
        request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").await();
    admin.vertx.eventBus().<String>consumer(Addresses.IDPS_CHANGED, m -> announced.add(m.body()));
    IdpConfig configured = new IdpConfig("corp-sso", "Corp SSO", Optional.empty(),
        Optional.of(IdpFixtures.metadata("https://corp.example.com/idp", okta)), Optional.empty(),
        Duration.ofHours(1), AttributeMapping.none(), false, false, List.of(), false, true);
    new IdentityProviders(admin.pool).recordConfigured(List.of(configured)).await();
  }

  @AfterAll
  static void stop() {
    metadataServer.close().await();
    admin.close();
  }

  private static String metadataUrl() {
    return "http://127.0.0.1:" + metadataServer.actualPort() + "/metadata.xml";
  }

  private static HttpResponse<Buffer> get(String path, String key) {
    return admin.request(HttpMethod.GET, path, key).send().await();
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String key, JsonObject body) {
    return admin.request(method, path, key).sendJsonObject(body).await();
  }

  private static JsonObject created(JsonObject body) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, IDPS, admin.adminKey, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static Row lastAudit(String action) {
    return admin.pool.preparedQuery("SELECT * FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1")
        .execute(Tuple.of(action)).await().iterator().next();
  }

  private static String nextAnnouncement() throws InterruptedException {
    return announced.poll(10, TimeUnit.SECONDS);
  }

  @Test
  void createWithInlineMetadataStoresItAuditsItAndTellsTheGateways() throws InterruptedException {
    announced.clear();
    HttpResponse<Buffer> response = send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject()
        .put("slug", "okta").put("displayName", "Okta").put("metadataXml",
            IdpFixtures.metadata("http://www.okta.com/exk1", okta))
        .put("attributes", new JsonObject().put("preset", "okta").put("groups", "memberOf"))
        .put("jit", true).put("defaultRoles", new JsonArray().add("staff")));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    JsonObject idp = response.bodyAsJsonObject();
    assertThat(response.getHeader("location")).isEqualTo(IDPS + "/" + idp.getString("id"));
    assertThat(idp.getString("slug")).isEqualTo("okta");
    assertThat(idp.getString("entityId")).isEqualTo("http://www.okta.com/exk1");
    assertThat(idp.getString("source")).isEqualTo("api");
    assertThat(idp.getBoolean("enabled")).isTrue();
    assertThat(idp.getJsonObject("metadata").getString("source")).isEqualTo("inline");
    assertThat(idp.getJsonObject("attributes")).isEqualTo(new JsonObject().put("preset", "okta").put("groups", "memberOf"));
    assertThat(idp.getBoolean("jit")).isTrue();
    assertThat(idp.getBoolean("signAuthnRequests")).isTrue();
    assertThat(idp.getJsonArray("defaultRoles")).containsExactly("staff");
    assertThat(nextAnnouncement()).isEqualTo("okta");

    assertThat(get(IDPS + "/okta", admin.auditorKey).bodyAsJsonObject()).isEqualTo(idp);
    assertThat(get(IDPS + "/" + idp.getString("id"), admin.auditorKey).bodyAsJsonObject()).isEqualTo(idp);
    Row audit = lastAudit("identity_provider.created");
    assertThat(audit.getString("target_id")).isEqualTo(idp.getString("id"));
    assertThat(audit.getJsonObject("new_state").getString("entityId")).isEqualTo("http://www.okta.com/exk1");
    assertThat(audit.getJsonObject("new_state").encode()).doesNotContain("X509Certificate");
    JsonObject row = admin.pool.preparedQuery("SELECT source, metadata_xml, settings FROM identity_providers"
        + " WHERE slug = 'okta'").execute().await().iterator().next().toJson();
    assertThat(row.getString("metadata_xml")).contains("http://www.okta.com/exk1");
  }

  @Test
  void createFromAUrlFetchesTheMetadataAndAnImportFetchesItAgain() {
    served.set(IdpFixtures.metadata("https://entra.example.com/tenant", okta));
    JsonObject idp = created(new JsonObject().put("slug", "entra").put("metadataUrl", metadataUrl())
        .put("metadataRefreshSeconds", 600).put("attributes", new JsonObject().put("preset", "entra")));
    assertThat(idp.getString("entityId")).isEqualTo("https://entra.example.com/tenant");
    JsonObject metadata = idp.getJsonObject("metadata");
    assertThat(metadata.getString("source")).isEqualTo("url");
    assertThat(metadata.getString("url")).isEqualTo(metadataUrl());
    assertThat(metadata.getLong("refreshSeconds")).isEqualTo(600L);

    served.set(IdpFixtures.metadata("https://entra.example.com/tenant", rotated));
    HttpResponse<Buffer> refetched = send(HttpMethod.POST, IDPS + "/entra/metadata", admin.adminKey, new JsonObject());
    assertThat(refetched.statusCode()).as(refetched.bodyAsString()).isEqualTo(200);
    String stored = admin.pool.query("SELECT metadata_xml FROM identity_providers WHERE slug = 'entra'").execute()
        .await().iterator().next().getString("metadata_xml");
    assertThat(stored).contains(rotated.certificateBody().substring(0, 40));
    assertThat(lastAudit("identity_provider.metadata_imported").getString("target_id")).isEqualTo(idp.getString("id"));

    served.set(IdpFixtures.metadata("https://impostor.example.com", rotated));
    HttpResponse<Buffer> other = send(HttpMethod.POST, IDPS + "/entra/metadata", admin.adminKey, new JsonObject());
    assertProblem(other, 422, "unprocessable");
    assertThat(other.bodyAsJsonObject().getString("detail")).contains("https://impostor.example.com");

    served.set(null);
    HttpResponse<Buffer> gone = send(HttpMethod.POST, IDPS + "/entra/metadata", admin.adminKey, new JsonObject());
    assertProblem(gone, 422, "unprocessable");
    assertThat(gone.bodyAsJsonObject().getString("detail")).contains("HTTP 404");
  }

  @Test
  void importReplacesInlineMetadataWhenTheEntityMatches() {
    JsonObject idp = created(new JsonObject().put("slug", "google")
        .put("metadataXml", IdpFixtures.metadata("https://accounts.google.com/o/saml2?idpid=1", okta)));
    HttpResponse<Buffer> imported = send(HttpMethod.POST, IDPS + "/" + idp.getString("id") + "/metadata",
        admin.adminKey, new JsonObject().put("xml", IdpFixtures.metadata("https://accounts.google.com/o/saml2?idpid=1",
            rotated)));
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(200);
    assertThat(imported.bodyAsJsonObject().getString("updatedAt")).isNotEqualTo(idp.getString("updatedAt"));

    HttpResponse<Buffer> again = send(HttpMethod.POST, IDPS + "/google/metadata", admin.adminKey, new JsonObject());
    assertProblem(again, 422, "unprocessable");
    assertThat(again.bodyAsJsonObject().getString("detail")).contains("no metadata URL");
    assertProblem(send(HttpMethod.POST, IDPS + "/google/metadata", admin.adminKey,
        new JsonObject().put("xml", IdpFixtures.unsignedMetadata("https://accounts.google.com/o/saml2?idpid=1"))),
        422, "unprocessable");
  }

  @Test
  void createRefusesUnusableMetadataWithWhatIsWrong() {
    String[][] cases = {
        {"not xml at all", "not well-formed"},
        {"<!DOCTYPE x [<!ENTITY e 'x'>]><x/>", "DOCTYPE"},
        {IdpFixtures.spOnlyMetadata("https://sp.example.com"), "no SAML 2.0 IDPSSODescriptor"},
        {IdpFixtures.unsignedMetadata("https://nosig.example.com"), "no signing certificate"},
    };
    for (String[] c : cases) {
      HttpResponse<Buffer> response = send(HttpMethod.POST, IDPS, admin.adminKey,
          new JsonObject().put("slug", "bad").put("metadataXml", c[0]));
      assertProblem(response, 422, "unprocessable");
      assertThat(response.bodyAsJsonObject().getString("detail")).contains("/metadataXml").contains(c[1]);
    }
    HttpResponse<Buffer> mismatch = send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject().put("slug", "bad")
        .put("entityId", "https://expected.example.com")
        .put("metadataXml", IdpFixtures.metadata("https://actual.example.com", okta)));
    assertProblem(mismatch, 422, "unprocessable");
    assertThat(mismatch.bodyAsJsonObject().getJsonArray("invalidParams").getJsonObject(0).getString("name"))
        .isEqualTo("/entityId");
    HttpResponse<Buffer> unreachable = send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject().put("slug", "bad")
        .put("metadataUrl", "http://127.0.0.1:" + metadataServer.actualPort() + "/nothing.xml"));
    assertProblem(unreachable, 422, "unprocessable");
    assertThat(get(IDPS + "/bad", admin.adminKey).statusCode()).isEqualTo(404);
  }

  @Test
  void createRefusesBadBodiesTakenNamesAndOtherRoles() {
    String xml = IdpFixtures.metadata("https://dupe.example.com", okta);
    assertInvalid(send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject().put("slug", "Bad Slug")
        .put("metadataXml", xml)), "body", "/slug");
    assertInvalid(send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject().put("slug", "neither")), "body",
        "/metadataXml");
    assertInvalid(send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject().put("slug", "both")
        .put("metadataXml", xml).put("metadataUrl", metadataUrl())), "body", "/metadataXml");
    assertInvalid(send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject().put("slug", "preset")
        .put("metadataXml", xml).put("attributes", new JsonObject().put("preset", "ping"))), "body",
        "/attributes");
    created(new JsonObject().put("slug", "dupe").put("metadataXml", xml));
    assertProblem(send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject().put("slug", "dupe")
        .put("metadataXml", IdpFixtures.metadata("https://other.example.com", okta))), 409, "conflict");
    HttpResponse<Buffer> sameEntity = send(HttpMethod.POST, IDPS, admin.adminKey,
        new JsonObject().put("slug", "dupe2").put("metadataXml", xml));
    assertProblem(sameEntity, 409, "conflict");
    assertThat(sameEntity.bodyAsJsonObject().getString("detail")).contains("entity ID");
    assertProblem(send(HttpMethod.POST, IDPS, admin.adminKey, new JsonObject().put("slug", "corp-sso")
        .put("metadataXml", IdpFixtures.metadata("https://x.example.com", okta))), 409, "conflict");
    assertProblem(send(HttpMethod.POST, IDPS, admin.operatorKey, new JsonObject().put("slug", "op")
        .put("metadataXml", xml)), 403, "forbidden");
    assertProblem(send(HttpMethod.POST, IDPS, admin.auditorKey, new JsonObject().put("slug", "aud")
        .put("metadataXml", xml)), 403, "forbidden");
    assertProblem(send(HttpMethod.POST, IDPS, null, new JsonObject().put("slug", "anon")
        .put("metadataXml", xml)), 401, "unauthorized");
  }

  @Test
  void patchChangesSettingsAndRecordsBothStates() throws InterruptedException {
    JsonObject idp = created(new JsonObject().put("slug", "patchme")
        .put("metadataXml", IdpFixtures.metadata("https://patch.example.com", okta)));
    announced.clear();
    HttpResponse<Buffer> patched = send(HttpMethod.PATCH, IDPS + "/patchme", admin.adminKey, new JsonObject()
        .put("enabled", false).put("displayName", "Patched").put("allowIdpInitiated", true));
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    JsonObject after = patched.bodyAsJsonObject();
    assertThat(after.getBoolean("enabled")).isFalse();
    assertThat(after.getString("displayName")).isEqualTo("Patched");
    assertThat(after.getBoolean("allowIdpInitiated")).isTrue();
    assertThat(after.getBoolean("jit")).isFalse();
    assertThat(nextAnnouncement()).isEqualTo("patchme");
    Row audit = lastAudit("identity_provider.updated");
    assertThat(audit.getJsonObject("old_state").getBoolean("enabled")).isTrue();
    assertThat(audit.getJsonObject("new_state").getBoolean("enabled")).isFalse();
    assertThat(audit.getString("target_id")).isEqualTo(idp.getString("id"));

    assertInvalid(send(HttpMethod.PATCH, IDPS + "/patchme", admin.adminKey, new JsonObject()), "body", "");
    assertProblem(send(HttpMethod.PATCH, IDPS + "/nosuch", admin.adminKey, new JsonObject().put("enabled", true)),
        404, "not-found");
    assertProblem(send(HttpMethod.PATCH, IDPS + "/corp-sso", admin.adminKey, new JsonObject().put("enabled", false)),
        409, "conflict");
    assertProblem(send(HttpMethod.PATCH, IDPS + "/patchme", admin.operatorKey, new JsonObject().put("enabled", true)),
        403, "forbidden");
  }

  @Test
  void deleteRemovesApiManagedOnesOnly() throws InterruptedException {
    JsonObject idp = created(new JsonObject().put("slug", "deleteme")
        .put("metadataXml", IdpFixtures.metadata("https://delete.example.com", okta)));
    announced.clear();
    HttpResponse<Buffer> deleted = admin.request(HttpMethod.DELETE, IDPS + "/" + idp.getString("id"), admin.adminKey)
        .send().await();
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(204);
    assertThat(nextAnnouncement()).isEqualTo("deleteme");
    assertProblem(get(IDPS + "/deleteme", admin.adminKey), 404, "not-found");
    Row audit = lastAudit("identity_provider.deleted");
    assertThat(audit.getJsonObject("old_state").getString("slug")).isEqualTo("deleteme");
    assertThat(audit.getValue("new_state")).isNull();
    assertProblem(admin.request(HttpMethod.DELETE, IDPS + "/deleteme", admin.adminKey).send().await(), 404,
        "not-found");
    assertProblem(admin.request(HttpMethod.DELETE, IDPS + "/corp-sso", admin.adminKey).send().await(), 409,
        "conflict");
    assertProblem(admin.request(HttpMethod.DELETE, IDPS + "/corp-sso", admin.operatorKey).send().await(), 403,
        "forbidden");
  }

  @Test
  void listShowsConfiguredAndApiManagedOnesToEveryRole() {
    created(new JsonObject().put("slug", "listed").put("metadataXml",
        IdpFixtures.metadata("https://listed.example.com", okta)));
    HttpResponse<Buffer> list = get(IDPS, admin.auditorKey);
    assertThat(list.statusCode()).isEqualTo(200);
    List<JsonObject> items = list.bodyAsJsonObject().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    JsonObject corp = items.stream().filter(i -> i.getString("slug").equals("corp-sso")).findFirst().orElseThrow();
    assertThat(corp.getString("source")).isEqualTo("config");
    assertThat(corp.getString("displayName")).isEqualTo("Corp SSO");
    assertThat(items).anySatisfy(i -> assertThat(i.getString("slug")).isEqualTo("listed"));
    assertThat(items.stream().map(i -> i.getString("slug")).toList()).isSorted();
    assertProblem(get(IDPS, null), 401, "unauthorized");
    assertInvalid(get(IDPS + "/NOT%20A%20SLUG", admin.adminKey), "path", "id");
  }

  @Test
  void revokingAUsersSessionsReachesThoseOpenedThroughAnApiManagedIdp() {
    created(new JsonObject().put("slug", "sessidp").put("metadataXml",
        IdpFixtures.metadata("https://sessidp.example.com", okta)));
    UUID carol = admin.insertUser(null, "carol", "carol@sessidp.example.com", null, null, "active", "sso_jit");
    admin.pool.preparedQuery("UPDATE users SET saml_issuer = $2, saml_name_id = $3 WHERE resource_id = $1")
        .execute(Tuple.of(carol, "https://sessidp.example.com", "carol")).await();
    RedisSessionStore gateway = new RedisSessionStore(admin.vertx, admin.platform.redis().orElseThrow(),
        admin.platform.config().session(), admin.platform.broadcaster(), new SimpleMeterRegistry());
    CredentialVerifier keys = CredentialVerifier.withKey(Secret.of(AdminHarness.HMAC_KEY));
    Principal principal = new Principal("carol", "carol", null, null, List.of(), "sessidp");
    gateway.open(keys.userKey("sessidp", "carol"), principal, List.of()).await();

    HttpResponse<Buffer> revoked = admin.request(HttpMethod.DELETE, "/admin/v1/users/" + carol + "/sessions",
        admin.operatorKey).send().await();
    assertThat(revoked.statusCode()).as(revoked.bodyAsString()).isEqualTo(200);
    assertThat(revoked.bodyAsJsonObject()).isEqualTo(new JsonObject().put("revoked", 1));
    gateway.close().await();
  }
}
