package io.authgate.gateway.saml.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.idps.PemKeys;
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
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the SAML endpoint tests share: an in-memory directory, the independent pysaml2 IdP, a
 * fresh store with bob (an existing account of the partner IdP), and two gateway processes on the
 * same Redis and store, both at {@code https://sso.example.com}; and the moves of a browser.
 */
@ExtendWith(NoBlockedThreads.class)
abstract class SamlEndpointsTestBase {
  static final String IDP_ENTITY = "https://idp.test.example/metadata";
  static final String HOME = "https://app.example.com/home";
  static InMemoryLdap ldap;
  static PySamlIdp idp;
  static String database;
  static GatewayHarness gateway;
  static GatewayHarness second;
  static final String PARTNER = "https://partner.test.example/metadata";
  static TestSp sp;

  @BeforeAll
  static void start() throws Exception {
    ldap = InMemoryLdap.start();
    idp = PySamlIdp.create(IDP_ENTITY);
    Path metadata = idp.writeMetadata();
    database = TestServices.freshDatabase();
    gateway = startGateway(metadata, Files.createTempDirectory("authgate-saml-data"));
    // The second gateway works on one sign-in at a time, so a test can make it shed load.
    second = startGateway(metadata, Files.createTempDirectory("authgate-saml-data"),
        Map.of("AUTHGATE_SAML_MAX_PENDING_SIGN_INS", "1"));
    sp = testSp(gateway);
    // partner does not provision just in time: bob exists beforehand.
    execute("INSERT INTO resources (id, type, displayname, identifier, source_system) VALUES "
        + "('00000000-0000-0000-0000-0000000000b0', 'user', 'Bob', 'bob', 'manual')");
    execute("INSERT INTO users (resource_id, username, email, status, provisioning_method, saml_issuer, saml_name_id) "
        + "VALUES ('00000000-0000-0000-0000-0000000000b0', 'bob', 'bob@partner.example.com', 'active', 'manual', '"
        + PARTNER + "', 'bob@partner.example.com')");
  }

  static GatewayHarness startGateway(Path metadata, Path dataDir) {
    return startGateway(metadata, dataDir, Map.of());
  }

  static GatewayHarness startGateway(Path metadata, Path dataDir, Map<String, String> env) {
    return GatewayHarness.start("""
        embedded: {dataDir: "%s"}
        store: {masterKey: "c2FtbC1lbmRwb2ludHMtdGVzdHMtbWFzdGVyLWtleSE="}
        redis: {url: "%s"}
        cache: {hmacKey: an-hmac-key-shared-by-both-gateways-0123}
        session: {secureCookie: false}
        portal:
          allowedRedirectDomains: [app.example.com]
          defaultRedirect: "%s"
        directories:
          - name: main
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
        saml:
          baseUrl: "https://sso.example.com"
          idps:
            - id: corp
              displayName: Corp sign-in
              metadataFile: "%s"
              attributes: {email: email, displayName: displayName, groups: groups}
              jit: true
              defaultRoles: [staff]
              signAuthnRequests: true
            - id: partner
              metadataXml: |
        %s
              attributes: {email: email}
              allowIdpInitiated: true
              matchByEmail: true
        """.formatted(dataDir, TestServices.redisUrl(), HOME, ldap.url(), InMemoryLdap.SERVICE_DN,
        InMemoryLdap.SERVICE_PASSWORD, metadata, indent(idp.metadataXml(PARTNER,
            idp.otherIdpKeys()), 16)), env, database);
  }

  static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return pad + text.strip().replace("\n", "\n" + pad);
  }

  static TestSp testSp(GatewayHarness harness) {
    var provider = harness.services().saml().engine().serviceProvider();
    try {
      // The SP's keys live in the store (sealed); the IdP encrypts for the certificate the SP uses.
      Path certificate = Files.createTempFile("authgate-sp-cert", ".pem");
      Files.writeString(certificate, PemKeys.pem("CERTIFICATE",
          provider.credentials().encryption().getEntityCertificate().getEncoded()));
      return new TestSp(provider.entityId(), provider.acsUrl(), provider.sloUrl(), certificate, null);
    } catch (java.io.IOException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {second, gateway, idp, ldap}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /** A browser that went to {@code /saml/corp/login}: its binding cookie and the request ID (also the RelayState). */
  record Started(String cookie, String requestId, URI idpUrl) {}

  static Started startLogin(GatewayHarness harness, String idpId, String returnTo) {
    HttpResponse<Buffer> response = harness.client().get("/saml/" + idpId + "/login"
        + (returnTo == null ? "" : "?rd=" + java.net.URLEncoder.encode(returnTo, StandardCharsets.UTF_8))).send().await();
    assertThat(response.statusCode()).isEqualTo(302);
    URI location = URI.create(response.getHeader("Location"));
    Map<String, String> query = query(location.getRawQuery());
    assertThat(query).containsKeys("SAMLRequest", "RelayState", "SigAlg", "Signature");
    String cookie = response.cookies().stream().filter(c -> c.startsWith(SamlPaths.BROWSER_COOKIE + "="))
        .findFirst().orElseThrow();
    return new Started(cookie.substring(0, cookie.indexOf(';')), query.get("RelayState"), location);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  static HttpResponse<Buffer> post(GatewayHarness harness, String cookie, String samlResponse, String relayState) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("SAMLResponse", samlResponse);
    if (relayState != null) {
      form.add("RelayState", relayState);
    }
    var request = harness.client().post("/saml/acs");
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return request.sendForm(form).await();
  }

  static IdpJob alice(String variant, String requestId) {
    IdpJob job = IdpJob.of(variant, "alice-" + requestId + "@corp.example.com")
        .withAttribute("email", "alice-" + requestId + "@corp.example.com")
        .withAttribute("displayName", "Alice Example").withAttribute("groups", "engineering", "staff");
    return requestId == null ? job : job.withInResponseTo(requestId);
  }

  static String sessionCookie(HttpResponse<Buffer> response) {
    return response.cookies().stream().filter(c -> c.startsWith("authgate_session=")).findFirst()
        .map(c -> c.substring(0, c.indexOf(';'))).orElse(null);
  }

  static double refusals(GatewayHarness harness, String idpLabel, String reason) {
    var counter = harness.registry().find("authgate.saml.responses")
        .tags("idp", idpLabel, "result", "rejected", "reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  static void assertRefused(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(400, 403);
    assertThat(response.bodyAsString()).contains("Sign-in failed").contains("could not be completed");
    assertThat(sessionCookie(response)).isNull();
  }

  /** An IdP-initiated response from partner for bob, who exists. */
  static IdpJob bob() {
    return IdpJob.of("valid-signed-assertion", "bob@partner.example.com")
        .withAttribute("email", "bob@partner.example.com")
        .with("idpEntityId", PARTNER)
        .with("signingKey", idp.otherIdpKeys().key().toString())
        .with("signingCert", idp.otherIdpKeys().certificate().toString());
  }

  static String row(String sql) throws Exception {
    try (Connection c = TestServices.jdbc(database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (r.next()) {
        values.add(r.getString(1));
      }
      assertThat(values).hasSize(1);
      return values.get(0);
    }
  }

  static void execute(String sql) {
    TestServices.execute(database, sql);
  }
}
