package io.authgate.gateway.saml.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.SamlConfig;
import io.authgate.core.testing.Eventually;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestServices;
import io.authgate.gateway.GatewayHarness;
import io.authgate.gateway.saml.idp.IdpJob;
import io.authgate.gateway.saml.idp.IdpOutput;
import io.authgate.gateway.saml.idp.PySamlIdp;
import io.authgate.gateway.saml.idp.TestSp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SAML service provider over HTTP, against responses made by an IdP nobody here wrote
 * (Debian's pysaml2 and xmlsec1): SP-initiated login through {@code /saml/{idp}/login} and the
 * ACS, JIT provisioning into the store, the session it opens, and every attack refused with the
 * generic page, no session, and the reason in {@code authgate_saml_responses_total}. A second
 * gateway process on the same Redis and store proves replays are refused across processes.
 */
class SamlAcsIT extends SamlEndpointsTestBase {
  @Test
  void spInitiatedLoginProvisionsTheUserOpensASessionAndReturns() throws Exception {
    Started started = startLogin(gateway, "corp", "https://app.example.com/reports?x=1");
    assertThat(started.idpUrl().toString()).startsWith(IDP_ENTITY.replace("/metadata", ""));
    IdpOutput output = idp.produce(sp, alice("valid-signed-assertion", started.requestId()));
    HttpResponse<Buffer> response = post(gateway, started.cookie(), output.samlResponse(), started.requestId());

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(303);
    assertThat(response.getHeader("Location")).isEqualTo("https://app.example.com/reports?x=1");
    String session = sessionCookie(response);
    assertThat(session).isNotNull();
    HttpResponse<Buffer> verify = gateway.client().get("/v1/verify").putHeader("Cookie", session).send().await();
    String email = "alice-" + started.requestId() + "@corp.example.com";
    assertThat(verify.statusCode()).isEqualTo(200);
    assertThat(verify.getHeader("Remote-User")).isEqualTo(email);
    assertThat(verify.getHeader("Remote-Email")).isEqualTo(email);
    assertThat(verify.getHeader("Remote-Name")).isEqualTo("Alice Example");
    assertThat(verify.getHeader("Remote-Groups")).isEqualTo("engineering,staff");
    assertThat(row("SELECT provisioning_method || '/' || status || '/' || saml_issuer FROM users WHERE email = '"
        + email + "'")).isEqualTo("sso_jit/active/" + IDP_ENTITY);
    assertThat(gateway.registry().find("authgate.saml.responses").tags("idp", "corp", "result", "accepted")
        .counter().count()).isGreaterThanOrEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"valid-signed-response", "valid-both-signed", "valid-encrypted", "valid-encrypted-cbc"})
  void everyValidShapeSignsIn(String variant) {
    Started started = startLogin(gateway, "corp", null);
    HttpResponse<Buffer> response = post(gateway, started.cookie(),
        idp.produce(sp, alice(variant, started.requestId())).samlResponse(), started.requestId());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(303);
    assertThat(response.getHeader("Location")).isEqualTo(HOME);
    assertThat(sessionCookie(response)).isNotNull();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "xsw-evil-before, assertion_count", "xsw-evil-after, assertion_count", "xsw-wrap, assertion_count",
      "xsw-signature-in-extensions, signature", "xsw-response-wrap, signature",
      "two-assertions, assertion_count", "unsigned, signature", "foreign-key, signature",
      "other-idp-key, signature", "tampered, signature", "doctype, malformed", "xxe, malformed",
      "billion-laughs, malformed", "sha1, algorithm", "rsa15, algorithm", "bad-transform, algorithm",
      "bad-transform-xpath, algorithm", "wrong-issuer, issuer", "wrong-audience, audience",
      "wrong-recipient, recipient", "wrong-destination, destination", "expired, time", "not-yet-valid, time",
      "status-failure, status"})
  void everyAttackIsRefusedOverHttp(String variant, String reason) {
    Started started = startLogin(gateway, "corp", "https://app.example.com/");
    IdpJob job = alice(variant, started.requestId());
    double before = refusals(gateway, "corp", reason);
    HttpResponse<Buffer> response = post(gateway, started.cookie(), idp.produce(sp, job).samlResponse(),
        started.requestId());
    assertRefused(response);
    assertThat(refusals(gateway, "corp", reason)).as("reason " + reason).isEqualTo(before + 1);
  }

  @Test
  void theFormIsReadWithinItsLimitAndAnythingElseIsRefused() {
    double before = refusals(gateway, "unknown", "malformed");
    var json = gateway.client().post("/saml/acs").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"SAMLResponse\":\"x\"}")).await();
    assertRefused(json);
    var noField = gateway.client().post("/saml/acs").putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer("RelayState=abc&other=1")).await();
    assertRefused(noField);
    assertThat(refusals(gateway, "unknown", "malformed")).isEqualTo(before + 2);

    var badEscape = gateway.client().post("/saml/acs").putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer("SAMLResponse=%zz")).await();
    assertThat(badEscape.statusCode()).isEqualTo(400);
    var declaredTooLarge = gateway.client().post("/saml/acs")
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer("SAMLResponse=" + "A".repeat(SamlConfig.DEFAULT_MAX_RESPONSE_BYTES + 20 * 1024)))
        .await();
    assertThat(declaredTooLarge.statusCode()).isEqualTo(413);
    HttpClient raw = gateway.vertx().createHttpClient();
    try {
      int chunkedTooLarge = raw.request(HttpMethod.POST, gateway.port(), "127.0.0.1", "/saml/acs").compose(request -> {
        request.setChunked(true).putHeader("Content-Type", "application/x-www-form-urlencoded");
        request.write("SAMLResponse=");
        for (int i = 0; i < 40; i++) {
          request.write("A".repeat(8 * 1024));
        }
        return request.end().compose(v -> request.response()).map(HttpClientResponse::statusCode);
      }).await();
      assertThat(chunkedTooLarge).as("a chunked body without a length is cut at the limit too").isEqualTo(413);
    } finally {
      raw.close().await();
    }
  }

  @Test
  void aFieldGivenTwiceIsRefusedBeforeAnythingIsUsedUp() {
    Started started = startLogin(gateway, "corp", null);
    String response = idp.produce(sp, alice("valid-signed-assertion", started.requestId())).samlResponse();
    String other = idp.produce(sp, alice("valid-signed-assertion", started.requestId())).samlResponse();
    double before = refusals(gateway, "unknown", "malformed");
    // Two responses, in either order, or the same one twice; the request named twice.
    for (MultiMap form : List.of(
        form("SAMLResponse", response, "SAMLResponse", other, "RelayState", started.requestId()),
        form("SAMLResponse", other, "RelayState", started.requestId(), "SAMLResponse", response),
        form("SAMLResponse", response, "SAMLResponse", response, "RelayState", started.requestId()),
        form("SAMLResponse", response, "RelayState", started.requestId(), "RelayState", started.requestId()))) {
      HttpResponse<Buffer> refused = gateway.client().post("/saml/acs").putHeader("Cookie", started.cookie())
          .sendForm(form).await();
      assertRefused(refused);
      assertThat(refused.statusCode()).isEqualTo(400);
    }
    assertThat(refusals(gateway, "unknown", "malformed")).isEqualTo(before + 4);
    // Neither the pending request nor either assertion was used up.
    assertThat(post(gateway, started.cookie(), response, started.requestId()).statusCode()).isEqualTo(303);
  }

  /** @return a form of name/value pairs in the order given, a name given twice sent twice */
  private static MultiMap form(String... namesAndValues) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      form.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return form;
  }

  @Test
  void anOverloadedGatewayRefusesAtOnceWith503() throws Exception {
    // Hold every worker of the second gateway (it works on one sign-in at a time), so the first
    // response waits for a worker and the next finds the limit reached.
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < 64; i++) {
      second.vertx().executeBlocking(() -> release.await(20, TimeUnit.SECONDS), false);
    }
    try {
      var waiting = second.client().post("/saml/acs")
          .sendForm(MultiMap.caseInsensitiveMultiMap().add("SAMLResponse", idp.produce(sp, bob()).samlResponse()));
      Thread.sleep(1_000);
      double before = refusals(second, "unknown", "overloaded");
      HttpResponse<Buffer> shed = post(second, null, idp.produce(sp, bob()).samlResponse(), null);
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.getHeader("Retry-After")).isEqualTo("1");
      assertThat(shed.bodyAsString()).contains("not possible right now");
      assertThat(refusals(second, "unknown", "overloaded")).isEqualTo(before + 1);
      release.countDown();
      assertThat(waiting.await().statusCode()).as("the one waiting signs in once workers are free").isEqualTo(303);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aSignInWaitingForTheStoreHoldsItsPlaceSoTheNextIsRefusedAtOnce() throws Exception {
    // An exclusive lock on users holds the store's answer to a validated sign-in. Bounding
    // validation alone let every later response through to queue for the store as well.
    String first = idp.produce(sp, bob()).samlResponse();
    String next = idp.produce(sp, bob()).samlResponse();
    try (Connection lock = TestServices.jdbc(database); Statement statement = lock.createStatement()) {
      lock.setAutoCommit(false);
      statement.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
      var waiting = second.client().post("/saml/acs")
          .sendForm(MultiMap.caseInsensitiveMultiMap().add("SAMLResponse", first));
      Eventually.until("the first sign-in waits for the lock on users", () -> waitsForUsers(statement));
      double before = refusals(second, "unknown", "overloaded");
      HttpResponse<Buffer> shed = second.client().post("/saml/acs").timeout(5_000)
          .sendForm(MultiMap.caseInsensitiveMultiMap().add("SAMLResponse", next)).await();
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.getHeader("Retry-After")).isEqualTo("1");
      assertThat(refusals(second, "unknown", "overloaded")).isEqualTo(before + 1);
      assertThat(waiting.isComplete()).as("the first still waits for the store").isFalse();
      lock.rollback();
      assertThat(waiting.await().statusCode()).as("it signs in once the store answers").isEqualTo(303);
    }
    assertThat(post(second, null, next, null).statusCode()).as("room again, and the refused response was not used up")
        .isEqualTo(303);
  }

  /** @return whether a session of this test's database waits for a lock on {@code users} */
  private static boolean waitsForUsers(Statement statement) {
    try (ResultSet r = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted "
        + "AND relation = 'users'::regclass AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
      return r.next() && r.getInt(1) > 0;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void commentInjectionCannotShortenTheNameId() {
    Started started = startLogin(gateway, "corp", null);
    IdpJob job = IdpJob.of("comment-injection", "victim-" + started.requestId() + "@corp.example.com")
        .withInResponseTo(started.requestId());
    HttpResponse<Buffer> response = post(gateway, started.cookie(), idp.produce(sp, job).samlResponse(),
        started.requestId());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(303);
    String session = sessionCookie(response);
    HttpResponse<Buffer> verify = gateway.client().get("/v1/verify").putHeader("Cookie", session).send().await();
    assertThat(verify.getHeader("Remote-User")).isEqualTo("victim-" + started.requestId() + "@corp.example.com.evil.com");
  }

  @Test
  void aResponseIsUsedOnceEvenOnAnotherGatewaySharingRedis() {
    Started started = startLogin(gateway, "corp", null);
    String response = idp.produce(sp, alice("valid-signed-assertion", started.requestId())).samlResponse();
    assertThat(post(gateway, started.cookie(), response, started.requestId()).statusCode()).isEqualTo(303);
    // Again on either gateway: the request was answered already, on every process.
    assertRefused(post(gateway, started.cookie(), response, started.requestId()));
    assertRefused(post(second, started.cookie(), response, started.requestId()));

    // IdP-initiated (no request to take): only the replay cache stands between a copy and a session.
    String unsolicited = idp.produce(sp, bob()).samlResponse();
    assertThat(post(second, null, unsolicited, null).statusCode()).isEqualTo(303);
    double before = refusals(gateway, "partner", "replay");
    assertRefused(post(gateway, null, unsolicited, null));
    assertThat(refusals(gateway, "partner", "replay")).isEqualTo(before + 1);
    assertRefused(post(second, null, unsolicited, null));
  }

  @Test
  void theAnswerIsAcceptedOnlyFromTheBrowserThatAsked() {
    Started started = startLogin(gateway, "corp", null);
    Started attacker = startLogin(gateway, "corp", null);
    String response = idp.produce(sp, alice("valid-signed-assertion", started.requestId())).samlResponse();
    String otherCookie = SamlPaths.BROWSER_COOKIE + "=" + "A".repeat(43);
    assertRefused(post(gateway, otherCookie, response, started.requestId()));
    assertRefused(post(gateway, null, response, started.requestId()));
    // Another browser's pending request named as RelayState, this response answering the first.
    Started fresh = startLogin(gateway, "corp", null);
    String forFresh = idp.produce(sp, alice("valid-signed-assertion", fresh.requestId())).samlResponse();
    assertRefused(post(gateway, attacker.cookie(), forFresh, attacker.requestId()));
  }

  @Test
  void unknownOrMissingInResponseToIsRefusedAndUnsolicitedNeedsTheIdpsConsent() {
    Started started = startLogin(gateway, "corp", null);
    // InResponseTo of a request never made, no RelayState: unsolicited with an InResponseTo.
    assertRefused(post(gateway, started.cookie(),
        idp.produce(sp, alice("valid-signed-assertion", "_" + "0".repeat(32))).samlResponse(), null));
    // Unsolicited from corp, which does not allow IdP-initiated login (refused before any IdP is
    // established for the response, hence the label "unknown").
    double before = refusals(gateway, "unknown", "unsolicited");
    assertRefused(post(gateway, null, idp.produce(sp, alice("valid-signed-assertion", null)).samlResponse(), null));
    assertThat(refusals(gateway, "unknown", "unsolicited")).isEqualTo(before + 1);
  }

  @Test
  void idpInitiatedLoginWhereAllowedNeverRedirectsOffSite() {
    for (String relay : List.of("https://evil.example.net/", "//evil.example.net", "javascript:alert(1)",
        "/\\evil.example.net", "https://app.example.com%0d%0aSet-Cookie:x=1")) {
      HttpResponse<Buffer> response = post(gateway, null, idp.produce(sp, bob()).samlResponse(), relay);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(303);
      assertThat(response.getHeader("Location")).as(relay).isEqualTo(HOME);
    }
    HttpResponse<Buffer> allowed = post(gateway, null, idp.produce(sp, bob()).samlResponse(),
        "https://app.example.com/partner");
    assertThat(allowed.getHeader("Location")).isEqualTo("https://app.example.com/partner");
    assertThat(sessionCookie(allowed)).isNotNull();
  }

  @Test
  void withoutJitAnUnknownSubjectIsRefusedAndASuspendedAccountToo() {
    IdpJob carol = IdpJob.of("valid-signed-assertion", "carol@partner.example.com")
        .with("idpEntityId", PARTNER)
        .with("signingKey", idp.otherIdpKeys().key().toString())
        .with("signingCert", idp.otherIdpKeys().certificate().toString());
    double before = refusals(gateway, "partner", "not_provisioned");
    assertRefused(post(gateway, null, idp.produce(sp, carol).samlResponse(), null));
    assertThat(refusals(gateway, "partner", "not_provisioned")).isEqualTo(before + 1);

    Started started = startLogin(gateway, "corp", null);
    IdpJob dave = IdpJob.of("valid-signed-assertion", "dave@corp.example.com")
        .withAttribute("email", "dave@corp.example.com").withInResponseTo(started.requestId());
    assertThat(post(gateway, started.cookie(), idp.produce(sp, dave).samlResponse(), started.requestId())
        .statusCode()).isEqualTo(303);
    execute("UPDATE users SET status = 'suspended' WHERE email = 'dave@corp.example.com'");
    Started again = startLogin(gateway, "corp", null);
    double disabled = refusals(gateway, "corp", "account_disabled");
    assertRefused(post(gateway, again.cookie(), idp.produce(sp, dave.withInResponseTo(again.requestId()))
        .samlResponse(), again.requestId()));
    assertThat(refusals(gateway, "corp", "account_disabled")).isEqualTo(disabled + 1);
  }

  @Test
  void spMetadataAndTheLoginPageButtons() {
    HttpResponse<Buffer> metadata = gateway.client().get("/saml/metadata").send().await();
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.getHeader("content-type")).isEqualTo("application/samlmetadata+xml");
    assertThat(metadata.bodyAsString()).contains("entityID=\"" + sp.entityId() + "\"")
        .contains("Location=\"" + sp.acsUrl() + "\"").contains("use=\"signing\"").contains("use=\"encryption\"")
        .contains("WantAssertionsSigned=\"true\"");
    HttpResponse<Buffer> login = gateway.client().get("/login?rd=https%3A%2F%2Fapp.example.com%2Fx").send().await();
    assertThat(login.bodyAsString())
        .contains("<a href=\"/saml/corp/login?rd=https%3A%2F%2Fapp.example.com%2Fx\">Corp sign-in</a>")
        .contains("<a href=\"/saml/partner/login?rd=https%3A%2F%2Fapp.example.com%2Fx\">partner</a>");
    assertThat(gateway.client().get("/saml/nobody/login").send().await().statusCode()).isEqualTo(404);
  }

  @Test
  void anIdpTrustedForEmailsLinksTheOneAccountWithThatEmailAndNeverGuesses() throws Exception {
    execute("INSERT INTO resources (id, type, displayname, identifier, source_system) VALUES "
        + "('00000000-0000-0000-0000-0000000000e0', 'user', 'Erin', 'erin', 'manual')");
    execute("INSERT INTO users (resource_id, username, email, status, provisioning_method) VALUES "
        + "('00000000-0000-0000-0000-0000000000e0', 'erin', 'Erin@Partner.example.com', 'active', 'manual')");
    IdpJob erin = IdpJob.of("valid-signed-assertion", "erin-0042").withAttribute("email", "erin@partner.example.com")
        .with("idpEntityId", PARTNER)
        .with("signingKey", idp.otherIdpKeys().key().toString())
        .with("signingCert", idp.otherIdpKeys().certificate().toString());
    HttpResponse<Buffer> linked = post(gateway, null, idp.produce(sp, erin).samlResponse(), null);
    assertThat(linked.statusCode()).as(linked.bodyAsString()).isEqualTo(303);
    assertThat(row("SELECT saml_issuer || ' ' || saml_name_id FROM users WHERE username = 'erin'"))
        .isEqualTo(PARTNER + " erin-0042");
    HttpResponse<Buffer> verify = gateway.client().get("/v1/verify").putHeader("Cookie", sessionCookie(linked))
        .send().await();
    assertThat(verify.getHeader("Remote-User")).isEqualTo("erin");

    // Two accounts with one email: nobody is guessed.
    for (String id : List.of("f1", "f2")) {
      execute("INSERT INTO resources (id, type, displayname, identifier, source_system) VALUES "
          + "('00000000-0000-0000-0000-0000000000" + id + "', 'user', 'Frank', 'frank-" + id + "', 'manual')");
      execute("INSERT INTO users (resource_id, username, email, status, provisioning_method) VALUES "
          + "('00000000-0000-0000-0000-0000000000" + id + "', 'frank-" + id + "', 'frank@partner.example.com', "
          + "'active', 'manual')");
    }
    double before = refusals(gateway, "partner", "account_conflict");
    assertRefused(post(gateway, null, idp.produce(sp, IdpJob.of("valid-signed-assertion", "frank-7")
        .withAttribute("email", "frank@partner.example.com").with("idpEntityId", PARTNER)
        .with("signingKey", idp.otherIdpKeys().key().toString())
        .with("signingCert", idp.otherIdpKeys().certificate().toString())).samlResponse(), null));
    assertThat(refusals(gateway, "partner", "account_conflict")).isEqualTo(before + 1);
  }
}
