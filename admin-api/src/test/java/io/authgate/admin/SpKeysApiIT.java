package io.authgate.admin;

import static io.authgate.admin.ProblemAssertions.assertInvalid;
import static io.authgate.admin.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.crypto.MasterKeys;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.idps.SpKeyPair;
import io.authgate.core.idps.SpKeyStore;
import io.authgate.core.testing.NoBlockedThreads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SAML SP's keys through the admin API: write-only private keys, sealed in the store. */
@ExtendWith(NoBlockedThreads.class)
class SpKeysApiIT {
  private static final String KEYS = "/admin/v1/saml/sp-keys";
  private static AdminHarness admin;
  private static IdpFixtures.Pair pair;
  private static IdpFixtures.Pair other;

  @BeforeAll
  static void start() {
    admin = AdminHarness.start();
    pair = IdpFixtures.pair("authgate-sp");
    other = IdpFixtures.pair("someone-else");
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  private static HttpResponse<Buffer> put(String usage, String key, JsonObject body) {
    return admin.request(HttpMethod.PUT, KEYS + "/" + usage, key).sendJsonObject(body).await();
  }

  @Test
  void aReplacedKeyIsSealedInTheStoreAndOnlyItsCertificateComesBack() {
    HttpResponse<Buffer> stored = put("signing", admin.adminKey,
        new JsonObject().put("privateKey", pair.privateKey()).put("certificate", pair.certificate()));
    assertThat(stored.statusCode()).as(stored.bodyAsString()).isEqualTo(200);
    JsonObject body = stored.bodyAsJsonObject();
    assertThat(body.getString("usage")).isEqualTo("signing");
    assertThat(body.getString("subject")).isEqualTo("CN=authgate-sp");
    assertThat(body.getString("fingerprintSha256")).matches("[0-9a-f]{64}");
    assertThat(stored.bodyAsString()).doesNotContain("PRIVATE KEY");

    Row row = admin.pool.query("SELECT * FROM sp_keys WHERE usage = 'signing'").execute().await().iterator().next();
    assertThat(row.getString("private_key_sealed")).startsWith("v1:").doesNotContain("PRIVATE KEY");
    assertThat(row.getString("fingerprint_sha256")).isEqualTo(body.getString("fingerprintSha256"));
    SecretBox box = MasterKeys.fromConfigOrDataDir(admin.platform.config().store().masterKey(), null);
    Map<String, SpKeyPair> opened = new SpKeyStore(admin.pool, box).load().await();
    assertThat(opened.get("signing").privateKeyPem()).isEqualTo(pair.privateKey());

    HttpResponse<Buffer> list = admin.request(HttpMethod.GET, KEYS, admin.auditorKey).send().await();
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("fingerprintSha256"))
        .isEqualTo(body.getString("fingerprintSha256"));
    assertThat(list.bodyAsString()).doesNotContain("PRIVATE KEY");

    Row audit = admin.pool.query("SELECT * FROM audit_log WHERE action = 'saml.sp_key.replaced' ORDER BY id DESC LIMIT 1")
        .execute().await().iterator().next();
    assertThat(audit.getJsonObject("new_state").getString("fingerprintSha256"))
        .isEqualTo(body.getString("fingerprintSha256"));
    assertThat(audit.getJsonObject("new_state").encode()).doesNotContain("PRIVATE KEY");
    assertThat(audit.getValue("old_state")).isNull();

    HttpResponse<Buffer> again = put("signing", admin.adminKey,
        new JsonObject().put("privateKey", other.privateKey()).put("certificate", other.certificate()));
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    Row second = admin.pool.query("SELECT * FROM audit_log WHERE action = 'saml.sp_key.replaced' ORDER BY id DESC"
        + " LIMIT 1").execute().await().iterator().next();
    assertThat(second.getJsonObject("old_state").getString("fingerprintSha256"))
        .isEqualTo(body.getString("fingerprintSha256"));
    assertThat(second.getJsonObject("new_state").getString("fingerprintSha256"))
        .isEqualTo(again.bodyAsJsonObject().getString("fingerprintSha256")).isNotEqualTo(body.getString("fingerprintSha256"));
  }

  @Test
  void mismatchedOrMalformedKeysAndOtherRolesAreRefused() {
    HttpResponse<Buffer> mismatch = put("encryption", admin.adminKey,
        new JsonObject().put("privateKey", other.privateKey()).put("certificate", pair.certificate()));
    assertProblem(mismatch, 422, "unprocessable");
    assertThat(mismatch.bodyAsJsonObject().getString("detail")).contains("/privateKey").contains("does not belong");
    HttpResponse<Buffer> noCert = put("encryption", admin.adminKey,
        new JsonObject().put("privateKey", pair.privateKey()).put("certificate", "hello"));
    assertProblem(noCert, 422, "unprocessable");
    assertThat(noCert.bodyAsJsonObject().getString("detail")).contains("/certificate");
    assertThat(mismatch.bodyAsString() + noCert.bodyAsString()).doesNotContain("PRIVATE KEY");
    assertInvalid(put("decryption", admin.adminKey,
        new JsonObject().put("privateKey", pair.privateKey()).put("certificate", pair.certificate())), "path", "usage");
    assertInvalid(put("signing", admin.adminKey, new JsonObject().put("privateKey", pair.privateKey())), "body",
        "/certificate");
    assertProblem(put("signing", admin.operatorKey,
        new JsonObject().put("privateKey", pair.privateKey()).put("certificate", pair.certificate())), 403, "forbidden");
    assertThat(admin.pool.query("SELECT count(*) FROM sp_keys WHERE usage = 'encryption'").execute().await()
        .iterator().next().getLong(0)).isZero();
  }

  @Test
  void withoutAMasterKeyNothingCanBeSealed() {
    try (AdminHarness bare = AdminHarness.start(false, "")) {
      HttpResponse<Buffer> refused = bare.request(HttpMethod.PUT, KEYS + "/signing", bare.adminKey)
          .sendJsonObject(new JsonObject().put("privateKey", pair.privateKey()).put("certificate", pair.certificate()))
          .await();
      assertProblem(refused, 409, "conflict");
      assertThat(refused.bodyAsJsonObject().getString("detail")).contains("store.masterKey");
      assertThat(bare.request(HttpMethod.GET, KEYS, bare.auditorKey).send().await().bodyAsJsonObject()
          .getJsonArray("items")).isEmpty();
      assertThat(bare.pool.query("SELECT count(*) FROM sp_keys").execute().await().iterator().next().getLong(0))
          .isZero();
    }
  }
}
