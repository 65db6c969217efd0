package io.authgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.Slapd;
import io.authgate.core.testing.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run the way the README tells a new user to run it. */
class ServerIT extends JarClient {

  @TempDir
  Path workDir;

  private static HttpResponse<Buffer> login(int port, String username, String password) {
    return http.post(port, "127.0.0.1", "/v1/auth").basicAuthentication(username, password).send().await();
  }

  @Test
  void aBadSettingStopsTheStartWithOneLineNamingTheKey() throws Exception {
    try (ServerProcess server = ServerProcess.start(workDir, Map.of("AUTHGATE_HTTP_PORT", "eighty"))) {
      assertThat(server.awaitExit(60)).isEqualTo(2);
      assertThat(server.stderrLines()).containsExactly(
          "authgate: configuration error: http.port (from AUTHGATE_HTTP_PORT): must be a whole number, got \"eighty\"");
    }
    Path config = workDir.resolve("authgate.yaml");
    Files.writeString(config, "directories:\n  - urls: [ldap://dc1]\n    baseDn: dc=x\n    pool: {max: 0}\n");
    try (ServerProcess server = ServerProcess.start(workDir, Map.of(), "--config", config.toString())) {
      assertThat(server.awaitExit(60)).isEqualTo(2);
      assertThat(server.stderrLines()).containsExactly(
          "authgate: configuration error: directories[0].pool.max: must be between 1 and 1000, got 0");
    }
  }

  @Test
  void aStoreUrlTheClientCannotReadStopsTheStartWithoutShowingItsPassword() throws Exception {
    try (ServerProcess server = ServerProcess.start(workDir,
        Map.of("AUTHGATE_POSTGRES_URL", "postgresql://authgate:hunter2@127.0.0.1:99999/authgate"))) {
      assertThat(server.awaitExit(60)).isEqualTo(2);
      assertThat(server.stderrLines()).containsExactly("authgate: configuration error: postgres.url (from "
          + "AUTHGATE_POSTGRES_URL): cannot be read: it must look like postgresql://user:password@host:5432/database, "
          + "with a port of 1-65535");
      assertThat(server.stdout()).doesNotContain("hunter2");
    }
    try (ServerProcess server = ServerProcess.start(workDir,
        Map.of("AUTHGATE_REDIS_URL", "redis://:hunter2@127.0.0.1:99999"))) {
      assertThat(server.awaitExit(60)).isEqualTo(2);
      assertThat(server.stderrLines()).containsExactly(
          "authgate: configuration error: redis.url (from AUTHGATE_REDIS_URL): port must be between 1 and 65535");
      assertThat(server.stdout()).doesNotContain("hunter2");
    }
  }

  @Test
  void anUnreachableServiceStopsTheStartNamingTheSetting() throws Exception {
    Map<String, String> env = Map.of("AUTHGATE_POSTGRES_URL", TestServices.freshDatabase(),
        "AUTHGATE_REDIS_URL", "redis://127.0.0.1:" + FreePorts.next(),
        "AUTHGATE_HTTP_PORT", Integer.toString(FreePorts.next()), "AUTHGATE_ADMIN_PORT",
        Integer.toString(FreePorts.next()), "AUTHGATE_EMBEDDED_LDAP_PORT", Integer.toString(FreePorts.next()));
    try (ServerProcess server = ServerProcess.start(workDir, env)) {
      assertThat(server.awaitExit(120)).isEqualTo(1);
      assertThat(server.stderrLines()).hasSize(1).first().asString()
          .startsWith("authgate: cannot start: redis.url: ").contains("Connection refused");
    }
  }

  @Test
  void theEmbeddedDefaultServesTheDemoAndStopsCleanly() throws Exception {
    int port = FreePorts.next();
    int adminPort = FreePorts.next();
    int ldapPort = FreePorts.next();
    Map<String, String> env = Map.of("AUTHGATE_HTTP_PORT", Integer.toString(port),
        "AUTHGATE_ADMIN_PORT", Integer.toString(adminPort), "AUTHGATE_EMBEDDED_LDAP_PORT", Integer.toString(ldapPort));
    for (int run = 1; run <= 2; run++) {
      try (ServerProcess server = ServerProcess.start(workDir, env)) {
        server.awaitOutput("Press Ctrl-C to stop.", 120);
        assertThat(server.stdout())
            .contains("authgate is running on its embedded default")
            .contains("POST http://127.0.0.1:" + port + "/v1/auth")
            .contains("http://127.0.0.1:" + port + "/login")
            .contains("ldap://127.0.0.1:" + ldapPort)
            .contains("alice / alice-password")
            .contains("embedded PostgreSQL, data in " + workDir.resolve("data").resolve("postgres").toRealPath());
        // The bootstrap admin key is shown on the first start only: afterwards only its hash exists.
        if (run == 1) {
          assertThat(server.stdout()).containsPattern("Admin API key: agk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}");
        } else {
          assertThat(server.stdout()).doesNotContain("Admin API key:");
        }

        HttpResponse<Buffer> alice = login(port, "alice", "alice-password");
        assertThat(alice.statusCode()).isEqualTo(200);
        JsonObject user = alice.bodyAsJsonObject().getJsonObject("user");
        assertThat(user.getJsonArray("groups").getList()).containsExactlyInAnyOrder("admins", "developers");
        assertThat(user.getJsonArray("roles").getList()).containsExactly("admin", "developer");
        assertThat(login(port, "alice", "wrong").statusCode()).isEqualTo(401);
        assertThat(http.get(adminPort, "127.0.0.1", "/health/ready").send().await().statusCode()).isEqualTo(200);
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", ldapPort)) {
          assertThat(ldap.getEntry("uid=bob,ou=people,dc=example,dc=org").getAttributeValue("mail"))
              .isEqualTo("bob@example.org");
        }

        server.terminate();
        server.awaitExit(60);
        assertThat(server.stdout()).contains("authgate: stopping");
        // PostgreSQL shut down cleanly: it removes its pid file on a clean stop.
        assertThat(workDir.resolve("data").resolve("postgres").resolve("postmaster.pid")).doesNotExist();
      }
    }
  }

  @Test
  void aStopDuringTheStartWaitsForItAndLeavesNothingRunning() throws Exception {
    int port = FreePorts.next();
    Map<String, String> env = Map.of("AUTHGATE_HTTP_PORT", Integer.toString(port),
        "AUTHGATE_ADMIN_PORT", Integer.toString(FreePorts.next()),
        "AUTHGATE_EMBEDDED_LDAP_PORT", Integer.toString(FreePorts.next()));
    String firstOutput;
    try (ServerProcess server = ServerProcess.start(workDir, env)) {
      // The gateway answers before the start is over (the admin API and the sync worker follow):
      // a user who sees it up and presses Ctrl-C stops a start in progress.
      awaitReady(port, 120);
      server.terminate();
      // Stopped by the signal, whether the start had finished (then stopped) or gave up.
      assertThat(server.awaitExit(120)).isEqualTo(143);
      assertThat(server.stdout()).doesNotContain("\"level\":\"ERROR\"");
      assertThat(server.stderrLines()).noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "));
      assertThat(server.stdout().contains("authgate: stopping")
          || server.stderrLines().stream().anyMatch(l -> l.startsWith("authgate: stopped during start-up"))).isTrue();
      firstOutput = server.stdout();
    }
    assertThat(workDir.resolve("data").resolve("postgres").resolve("postmaster.pid")).doesNotExist();
    // Nothing was left half-done: the next start comes up and serves, and the generated admin key
    // was shown by exactly one of the two starts (never stored by one and shown by neither).
    try (ServerProcess server = ServerProcess.start(workDir, env)) {
      server.awaitOutput("Press Ctrl-C to stop.", 120);
      assertThat(login(port, "alice", "alice-password").statusCode()).isEqualTo(200);
      boolean shownNow = server.stdout().contains("Admin API key: agk_");
      assertThat(firstOutput.contains("Admin API key: agk_")).isNotEqualTo(shownNow);
      server.terminate();
      assertThat(server.awaitExit(60)).isEqualTo(143);
    }
  }

  private static void awaitReady(int port, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        if (http.get(port, "127.0.0.1", "/health/ready").send().await().statusCode() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the gateway was not ready within " + seconds + " s");
  }

  @Test
  void pointedAtRealServicesItUsesThemAndNothingEmbedded() throws Exception {
    int port = FreePorts.next();
    String database = TestServices.freshDatabase();
    Map<String, String> env = slapdEnvironment();
    env.put("AUTHGATE_POSTGRES_URL", database);
    env.put("AUTHGATE_REDIS_URL", TestServices.redisUrl());
    env.put("AUTHGATE_HTTP_PORT", Integer.toString(port));
    env.put("AUTHGATE_ROLES", "gateway");
    env.put("AUTHGATE_CACHE_HMAC_KEY", "shared-by-every-gateway-0123456789abcdef");
    try (ServerProcess server = ServerProcess.start(workDir, env)) {
      server.awaitOutput("Press Ctrl-C to stop.", 120);
      assertThat(server.stdout()).doesNotContain("embedded").contains("default -> " + Slapd.shared().url());

      JsonObject ready = http.get(port, "127.0.0.1", "/health/ready").send().await().bodyAsJsonObject();
      assertThat(ready.getString("status")).isEqualTo("UP");
      assertThat(ready.getJsonObject("checks").fieldNames()).containsExactlyInAnyOrder("postgres", "redis",
          "directory:default");
      assertThat(login(port, "bob", "bob-secret-1").bodyAsJsonObject().getJsonObject("user").getString("dn"))
          .isEqualTo("uid=bob,ou=people,dc=example,dc=org");
      // Only the gateway role runs.
      assertThat(server.stdout()).contains("(roles: gateway)").doesNotContain("Admin API");
      try (Connection db = TestServices.jdbc(database);
           ResultSet rs = db.createStatement().executeQuery("SELECT name, source FROM directories")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("name")).isEqualTo("default");
        assertThat(rs.getString("source")).isEqualTo("config");
      }
      server.terminate();
      server.awaitExit(60);
      assertThat(server.stdout()).doesNotContain(Slapd.ADMIN_PASSWORD).doesNotContain("0123456789abcdef")
          .doesNotContain("bob-secret-1");
    }
    assertThat(workDir.resolve("data")).doesNotExist();
  }

  @Test
  void withAnIdentityProviderConfiguredTheJarServesSaml() throws Exception {
    int port = FreePorts.next();
    String pem = Files.readString(io.authgate.core.testing.TestCertificates.get().serverCertificate());
    String certificate = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    Path config = workDir.resolve("saml.yaml");
    Files.writeString(config, """
        saml:
          idps:
            - id: demo
              displayName: Demo IdP
              metadataXml: |
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.net/metadata">
                  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.net/sso"/>
                  </md:IDPSSODescriptor>
                </md:EntityDescriptor>
        """.formatted(certificate));
    Map<String, String> env = new HashMap<>();
    env.put("AUTHGATE_POSTGRES_URL", TestServices.freshDatabase());
    env.put("AUTHGATE_HTTP_PORT", Integer.toString(port));
    env.put("AUTHGATE_ADMIN_PORT", Integer.toString(FreePorts.next()));
    env.put("AUTHGATE_ROLES", "gateway");
    try (ServerProcess server = ServerProcess.start(workDir, env, "--config", config.toString())) {
      server.awaitOutput("Press Ctrl-C to stop.", 120);
      HttpResponse<Buffer> metadata = http.get(port, "127.0.0.1", "/saml/metadata").send().await();
      assertThat(metadata.statusCode()).isEqualTo(200);
      assertThat(metadata.bodyAsString()).contains("SPSSODescriptor").contains("/saml/acs");
      assertThat(http.get(port, "127.0.0.1", "/login").send().await().bodyAsString())
          .contains("<a href=\"/saml/demo/login\">Demo IdP</a>");
      HttpResponse<Buffer> login = http.get(port, "127.0.0.1", "/saml/demo/login").followRedirects(false).send().await();
      assertThat(login.statusCode()).isEqualTo(302);
      assertThat(login.getHeader("Location")).startsWith("https://idp.example.net/sso?SAMLRequest=");
      // The SP's generated key pair is kept under ./data, readable by its owner only.
      assertThat(java.nio.file.Files.getPosixFilePermissions(workDir.resolve("data").resolve("saml-sp-key.pem")))
          .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
  }
}
