package io.authgate.gateway.verify;

import static io.authgate.gateway.GatewayHarness.basicAuthorization;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.gateway.GatewayHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The verify endpoints over HTTP, as reverse proxies call them: each contract, forwarded headers
 * from a trusted and an untrusted peer, sessions, bearer tokens and Basic credentials, and the
 * access rules. The proxies themselves are exercised in {@code io.authgate.gateway.proxy}.
 */
@ExtendWith(NoBlockedThreads.class)
class VerifyApiIT {
  private static GatewayHarness trusting;
  private static GatewayHarness untrusting;

  private static String yaml(boolean trustLoopback) {
    return """
        http: {trustedProxies: [%s]}
        session: {secureCookie: false}
        portal: {url: "https://auth.example.com/login", allowedRedirectDomains: [example.com]}
        access:
          defaultPolicy: authenticated
          rules:
            - {hosts: [public.example.com], policy: bypass}
            - {paths: ["/secret/**"], policy: deny}
            - {hosts: ["*.example.com"], paths: ["/admin/**"], policy: authenticated, groups: [admins]}
        directories:
          - name: main
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
        """.formatted(trustLoopback ? "127.0.0.1" : "10.255.255.1", Slapd.shared().url(), Slapd.ADMIN_DN,
        Slapd.ADMIN_PASSWORD);
  }

  @BeforeAll
  static void start() {
    trusting = GatewayHarness.start(yaml(true), Map.of());
    untrusting = GatewayHarness.start(yaml(false), Map.of());
  }

  @AfterAll
  static void stop() {
    trusting.close();
    untrusting.close();
  }

  private static String token(GatewayHarness gateway, String username, String password) {
    return gateway.client().post("/v1/auth")
        .sendJsonObject(new JsonObject().put("username", username).put("password", password).put("session", true))
        .await().bodyAsJsonObject().getJsonObject("session").getString("token");
  }

  private static HttpRequest<Buffer> forwardAuth(GatewayHarness gateway, String host, String uri) {
    return gateway.client().request(HttpMethod.GET, ForwardAuthContract.PATH)
        .putHeader("X-Forwarded-Method", "GET").putHeader("X-Forwarded-Proto", "https")
        .putHeader("X-Forwarded-Host", host).putHeader("X-Forwarded-Uri", uri);
  }

  @Test
  void aSessionCookieIsLetThroughWithTheIdentityHeaders() {
    String token = token(trusting, "alice", "alice-secret-1");
    HttpResponse<Buffer> response = forwardAuth(trusting, "app.example.com", "/admin/x")
        .putHeader("Cookie", "authgate_session=" + token).send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Remote-User")).isEqualTo("alice");
    assertThat(response.getHeader("Remote-Groups").split(",")).contains("admins", "developers");
    assertThat(response.getHeader("Remote-Email")).isEqualTo("alice@example.org");
    assertThat(response.getHeader("Remote-Name")).isEqualTo("Alice Liddell");
  }

  @Test
  void identityHeadersCarryUtf8() {
    String token = token(trusting, "zoe", "zoe-secret-1");
    HttpResponse<Buffer> response = trusting.client().get(PlainContract.PATH)
        .putHeader("Authorization", "Bearer " + token).send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    String raw = response.getHeader("Remote-Name");
    assertThat(new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
        .isEqualTo("Zoë Ünicöde");
  }

  @Test
  void withoutIdentityBrowsersGoToTheLoginPageAndApiClientsAreChallenged() {
    String back = URLEncoder.encode("https://app.example.com/docs?page=2", StandardCharsets.UTF_8);
    HttpResponse<Buffer> browser = forwardAuth(trusting, "app.example.com", "/docs?page=2")
        .putHeader("Accept", "text/html,application/xhtml+xml").send().await();
    assertThat(browser.statusCode()).isEqualTo(302);
    assertThat(browser.getHeader("Location")).isEqualTo("https://auth.example.com/login?rd=" + back);

    HttpResponse<Buffer> nginx = trusting.client().get(AuthRequestContract.PATH)
        .putHeader("X-Original-URL", "https://app.example.com/docs?page=2").putHeader("X-Original-Method", "GET")
        .putHeader("Accept", "text/html").send().await();
    assertThat(nginx.statusCode()).as("nginx only understands 401").isEqualTo(401);
    assertThat(nginx.getHeader("Location")).isEqualTo("https://auth.example.com/login?rd=" + back);

    HttpResponse<Buffer> api = forwardAuth(trusting, "app.example.com", "/docs").putHeader("Accept", "application/json")
        .send().await();
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.getHeader("WWW-Authenticate")).startsWith("Basic realm=\"authgate\"");
    assertThat(api.getHeader("Location")).isNull();
    assertThat(api.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void basicAndBearerCredentialsWorkAndBadOnesDoNot() {
    assertThat(forwardAuth(trusting, "app.example.com", "/").basicAuthentication("bob", "bob-secret-1").send().await()
        .getHeader("Remote-User")).isEqualTo("bob");
    assertThat(forwardAuth(trusting, "app.example.com", "/").basicAuthentication("bob", "wrong").send().await()
        .statusCode()).isEqualTo(401);
    assertThat(forwardAuth(trusting, "app.example.com", "/").putHeader("Authorization", "Basic %%%").send().await()
        .statusCode()).isEqualTo(401);
    assertThat(forwardAuth(trusting, "app.example.com", "/").basicAuthentication("bob", " ").send().await()
        .statusCode()).isEqualTo(401);
    String token = token(trusting, "carol", "carol-secret-1");
    assertThat(forwardAuth(trusting, "app.example.com", "/").putHeader("Authorization", "Bearer " + token).send()
        .await().getHeader("Remote-User")).isEqualTo("carol");
    trusting.client().post("/v1/logout").putHeader("Authorization", "Bearer " + token).send().await();
    assertThat(forwardAuth(trusting, "app.example.com", "/").putHeader("Authorization", "Bearer " + token).send()
        .await().statusCode()).as("after logout").isEqualTo(401);
    assertThat(forwardAuth(trusting, "app.example.com", "/").putHeader("Cookie", "authgate_session=forged").send()
        .await().statusCode()).isEqualTo(401);
  }

  @Test
  void anAuthorizationHeaderGivenTwiceYieldsNoIdentity() {
    // The application behind the proxy may read either copy, so neither is believed, nor checked.
    String token = token(trusting, "carol", "carol-secret-1");
    double binds = trusting.binds("main");
    String dave = basicAuthorization("dave", "dave-secret-1");
    String alice = basicAuthorization("alice", "alice-secret-1");
    for (List<String> twice : List.of(List.of(dave, alice), List.of(alice, dave))) {
      HttpResponse<Buffer> answer = forwardAuth(trusting, "app.example.com", "/").putHeader("Authorization", twice)
          .send().await();
      assertThat(answer.statusCode()).isEqualTo(401);
      assertThat(answer.getHeader("Remote-User")).isNull();
    }
    assertThat(forwardAuth(trusting, "app.example.com", "/")
        .putHeader("Authorization", List.of("Bearer " + token, dave)).send().await().statusCode()).isEqualTo(401);
    assertThat(trusting.binds("main")).isEqualTo(binds);
    // A session cookie is read before any Authorization header, which then plays no part.
    HttpResponse<Buffer> cookie = forwardAuth(trusting, "app.example.com", "/")
        .putHeader("Cookie", "authgate_session=" + token).putHeader("Authorization", List.of(dave, alice)).send().await();
    assertThat(cookie.statusCode()).isEqualTo(200);
    assertThat(cookie.getHeader("Remote-User")).isEqualTo("carol");
  }

  @Test
  void rulesBypassDenyAndRequireGroups() {
    HttpResponse<Buffer> bypassed = forwardAuth(trusting, "public.example.com", "/anything").send().await();
    assertThat(bypassed.statusCode()).isEqualTo(200);
    assertThat(bypassed.getHeader("Remote-User")).isNull();

    String alice = token(trusting, "alice", "alice-secret-1");
    assertThat(forwardAuth(trusting, "app.example.com", "/secret/plans").putHeader("Cookie", "authgate_session=" + alice)
        .send().await().statusCode()).as("deny beats a valid session").isEqualTo(403);
    assertThat(forwardAuth(trusting, "app.example.com", "/public/../secret/plans")
        .putHeader("Cookie", "authgate_session=" + alice).send().await().statusCode()).isEqualTo(403);

    String bob = token(trusting, "bob", "bob-secret-1");
    assertThat(forwardAuth(trusting, "app.example.com", "/admin/users").putHeader("Cookie", "authgate_session=" + bob)
        .send().await().statusCode()).as("bob is not in admins").isEqualTo(403);
    assertThat(forwardAuth(trusting, "app.example.com", "/admin/users").putHeader("Cookie", "authgate_session=" + alice)
        .send().await().statusCode()).isEqualTo(200);
  }

  @Test
  void envoyExtAuthzReadsThePathAfterItsPrefix() {
    assertThat(trusting.client().request(HttpMethod.POST, ExtAuthzContract.PREFIX + "/secret/x")
        .putHeader("Host", "app.example.com").basicAuthentication("alice", "alice-secret-1").send().await()
        .statusCode()).isEqualTo(403);
    HttpResponse<Buffer> allowed = trusting.client().request(HttpMethod.DELETE, ExtAuthzContract.PREFIX + "/items/7")
        .putHeader("Host", "app.example.com").basicAuthentication("alice", "alice-secret-1").send().await();
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.getHeader("Remote-User")).isEqualTo("alice");
    HttpResponse<Buffer> browser = trusting.client().get(ExtAuthzContract.PREFIX + "/items")
        .putHeader("Host", "app.example.com").putHeader("Accept", "text/html").send().await();
    assertThat(browser.statusCode()).isEqualTo(302);
    assertThat(browser.getHeader("Location"))
        .isEqualTo("https://auth.example.com/login?rd=" + URLEncoder.encode("http://app.example.com/items",
            StandardCharsets.UTF_8));
  }

  @Test
  void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
    // Claiming the bypassed host from a peer that is not a trusted proxy changes nothing.
    HttpResponse<Buffer> response = forwardAuth(untrusting, "public.example.com", "/anything")
        .putHeader("Accept", "text/html").send().await();
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.getHeader("Location")).as("no return URL from untrusted headers")
        .isEqualTo("https://auth.example.com/login");
    assertThat(untrusting.client().get(AuthRequestContract.PATH).putHeader("X-Original-URL",
        "https://public.example.com/x").send().await().statusCode()).isEqualTo(401);
  }

  @Test
  void verifyRequestsAndSessionsAreCounted() {
    forwardAuth(trusting, "public.example.com", "/").send().await();
    String scrape = trusting.client().get("/metrics").send().await().bodyAsString();
    assertThat(scrape).contains("authgate_verify_requests_total{credential=\"none\",result=\"bypassed\"}")
        .contains("authgate_sessions_active ");
    assertThat(trusting.registry().get("authgate.verify.requests").tags("result", "allowed", "credential", "session")
        .counter().count()).isPositive();
  }
}
