package io.authgate.gateway.proxy;

import static io.authgate.gateway.GatewayHarness.basicAuthorization;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.gateway.GatewayHarness;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * authgate behind real reverse proxies, end to end: Debian's nginx with {@code auth_request} and
 * Caddy with {@code forward_auth}, each in front of an application that echoes the headers it
 * receives, configured exactly as {@code docs/proxies.md} shows. Every scenario runs through both
 * proxies, with a client that does not follow redirects, so the answers a browser or an API client
 * would get are asserted as they are.
 */
@ExtendWith(NoBlockedThreads.class)
class ProxyIT {
  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern RD_FIELD = Pattern.compile("name=\"rd\" value=\"([^\"]+)\"");
  private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  private static final String CHALLENGE = "Basic realm=\"authgate\", charset=\"UTF-8\"";
  private static final List<String> IDENTITY = List.of("remote-user", "remote-groups", "remote-email", "remote-name");

  private static GatewayHarness gateway;
  private static EchoUpstream app;
  private static Nginx nginx;
  private static Caddy caddy;
  private static WebClient client;

  /** One proxy under test: its name (the test's display name) and port. */
  record Proxy(String name, int port) {
    /** @return the URL a browser would ask the proxy for */
    String url(String pathAndQuery) {
      return "http://127.0.0.1:" + port + pathAndQuery;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Prints the proxies' logs when a scenario fails: what they did is usually the whole story. */
  @RegisterExtension
  static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (nginx != null) {
        System.err.println("nginx logs:\n" + nginx.logs());
      }
      if (caddy != null) {
        System.err.println("caddy logs:\n" + caddy.logs());
      }
    }
  };

  @BeforeAll
  static void start() {
    String yaml = """
        http: {host: 127.0.0.1, trustedProxies: ["127.0.0.1"]}
        session: {secureCookie: false}
        portal: {allowedRedirectDomains: ["127.0.0.1"]}
        access:
          defaultPolicy: authenticated
          rules:
            - {hosts: ["public.example.com"], policy: bypass}
            - {paths: ["/public/**"], policy: bypass}
            - {paths: ["/secret/**"], policy: deny}
            - {paths: ["/admin/**"], policy: authenticated, groups: [admins]}
            - {paths: ["/reports/**"], methods: [DELETE], policy: deny}
        directories:
          - name: main
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
        """.formatted(Slapd.shared().url(), Slapd.ADMIN_DN, Slapd.ADMIN_PASSWORD);
    gateway = GatewayHarness.start(yaml, Map.of());
    app = EchoUpstream.start(gateway.vertx());
    nginx = Nginx.start(gateway.port(), app.port());
    caddy = Caddy.start(gateway.port(), app.port());
    client = WebClient.create(gateway.vertx(), new WebClientOptions().setFollowRedirects(false)
        .setUserAgent("authgate-proxy-it"));
    // The first requests do one-time work on the event loops (class loading; Netty's first buffer
    // chunk registers a JFR event type, which initialises JFR's metadata), which on a busy 2-core
    // machine sometimes takes longer than the blocked-thread limit: get it done before the tests.
    for (Proxy proxy : proxies().toList()) {
      request(proxy, HttpMethod.GET, "/warm-up").putHeader("Authorization", basicAuthorization("dave", "dave-secret-1"))
          .send().await();
    }
    client.getAbs(gatewayUrl("/login")).send().await();
    client.postAbs(gatewayUrl("/v1/auth")).sendJsonObject(new JsonObject().put("username", "dave")
        .put("password", "dave-secret-1").put("session", true)).await();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {nginx, caddy, client == null ? null : client::close, app}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        e.printStackTrace();
      }
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  static Stream<Proxy> proxies() {
    return Stream.of(new Proxy("nginx auth_request", nginx.port()), new Proxy("caddy forward_auth", caddy.port()));
  }

  // ---- scenarios ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void withoutCredentialsABrowserGoesToTheLoginPageAndAnApiClientIsChallenged(Proxy proxy) {
    HttpResponse<Buffer> browser = request(proxy, HttpMethod.GET, "/app/hello?x=1&y=two").putHeader("Accept", HTML)
        .send().await();
    assertThat(browser.statusCode()).isEqualTo(302);
    assertThat(browser.getHeader("Location")).isEqualTo(loginUrl(proxy.url("/app/hello?x=1&y=two")));

    HttpResponse<Buffer> api = request(proxy, HttpMethod.GET, "/app/hello").putHeader("Accept", "application/json")
        .send().await();
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().getAll("WWW-Authenticate")).containsExactly(CHALLENGE);
    assertThat(api.getHeader("Location")).isNull();

    HttpResponse<Buffer> wrongPassword = request(proxy, HttpMethod.GET, "/app/hello")
        .putHeader("Authorization", basicAuthorization("carol", "not-carols-" + proxy.port())).send().await();
    assertThat(wrongPassword.statusCode()).isEqualTo(401);
    assertThat(wrongPassword.headers().getAll("WWW-Authenticate")).containsExactly(CHALLENGE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void basicCredentialsReachTheApplicationWithTheIdentityHeaders(Proxy proxy) {
    HttpResponse<Buffer> response = request(proxy, HttpMethod.GET, "/app/data?q=1")
        .putHeader("Authorization", basicAuthorization("alice", "alice-secret-1")).send().await();
    JsonObject echo = echo(response);
    assertThat(echo.getString("uri")).isEqualTo("/app/data?q=1");
    assertAlice(echo);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void twoAuthorizationHeadersLetNoOneThrough(Proxy proxy) {
    // Caddy passes both to the gateway and to the application, which might read either: neither is
    // believed. nginx refuses such a request itself (400).
    String alice = basicAuthorization("alice", "alice-secret-1");
    String bob = basicAuthorization("bob", "bob-secret-1");
    for (List<String> twice : List.of(List.of(alice, bob), List.of(bob, alice))) {
      HttpResponse<Buffer> response = request(proxy, HttpMethod.GET, "/app/data").putHeader("Accept", "application/json")
          .putHeader("Authorization", twice).send().await();
      assertThat(response.statusCode()).isIn(400, 401);
      assertNotFromTheApplication(response);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void theLoginFormsSessionCookieReachesTheApplication(Proxy proxy) {
    String original = proxy.url("/app/after-login?page=2");
    HttpResponse<Buffer> refused = client.getAbs(original).putHeader("Accept", HTML).send().await();
    assertThat(refused.statusCode()).isEqualTo(302);
    String loginPage = refused.getHeader("Location");
    assertThat(loginPage).isEqualTo(loginUrl(original));

    HttpResponse<Buffer> form = client.getAbs(loginPage).putHeader("Accept", HTML).send().await();
    assertThat(form.statusCode()).isEqualTo(200);
    String html = form.bodyAsString();
    String csrf = field(CSRF_FIELD, html);
    assertThat(field(RD_FIELD, html).replace("&amp;", "&")).isEqualTo(original);
    String csrfCookie = cookie(form, "authgate_csrf").orElseThrow();

    HttpResponse<Buffer> signedIn = client.postAbs(gatewayUrl("/login"))
        .putHeader("Cookie", "authgate_csrf=" + csrfCookie)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("username", "alice").add("password", "alice-secret-1")
            .add("csrf", csrf).add("rd", original)).await();
    assertThat(signedIn.statusCode()).isEqualTo(303);
    assertThat(signedIn.getHeader("Location")).isEqualTo(original);
    String setCookie = signedIn.cookies().stream().filter(c -> c.startsWith("authgate_session=")).findFirst()
        .orElseThrow();
    assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax")
        .doesNotContainIgnoringCase("Secure");
    String session = cookie(signedIn, "authgate_session").orElseThrow();

    JsonObject echo = echo(client.getAbs(signedIn.getHeader("Location")).putHeader("Accept", HTML)
        .putHeader("Cookie", "authgate_session=" + session).send().await());
    assertThat(echo.getString("uri")).isEqualTo("/app/after-login?page=2");
    assertAlice(echo);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void aSessionFromTheApiWorksAsCookieAndAsBearerToken(Proxy proxy) {
    HttpResponse<Buffer> login = client.postAbs(gatewayUrl("/v1/auth")).sendJsonObject(new JsonObject()
        .put("username", "alice").put("password", "alice-secret-1").put("session", true)).await();
    assertThat(login.statusCode()).isEqualTo(200);
    String token = login.bodyAsJsonObject().getJsonObject("session").getString("token");
    assertThat(cookie(login, "authgate_session")).contains(token);

    assertAlice(echo(request(proxy, HttpMethod.GET, "/app/cookie")
        .putHeader("Cookie", "authgate_session=" + token).send().await()));
    assertAlice(echo(request(proxy, HttpMethod.GET, "/app/bearer")
        .putHeader("Authorization", "Bearer " + token).send().await()));

    assertThat(client.postAbs(gatewayUrl("/v1/logout")).putHeader("Authorization", "Bearer " + token).send().await()
        .statusCode()).isEqualTo(200);
    assertThat(request(proxy, HttpMethod.GET, "/app/bearer").putHeader("Authorization", "Bearer " + token)
        .send().await().statusCode()).isEqualTo(401);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void aDenyRuleRefusesEveryone(Proxy proxy) {
    assertThat(request(proxy, HttpMethod.GET, "/secret/plans").putHeader("Accept", HTML).send().await()
        .statusCode()).isEqualTo(403);
    HttpResponse<Buffer> alice = request(proxy, HttpMethod.GET, "/secret/plans")
        .putHeader("Authorization", basicAuthorization("alice", "alice-secret-1")).send().await();
    assertThat(alice.statusCode()).isEqualTo(403);
    assertNotFromTheApplication(alice);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void aGroupRestrictedPathIsForbiddenToBobAndOpenToAlice(Proxy proxy) {
    HttpResponse<Buffer> bob = request(proxy, HttpMethod.GET, "/admin/panel")
        .putHeader("Authorization", basicAuthorization("bob", "bob-secret-1")).send().await();
    assertThat(bob.statusCode()).isEqualTo(403);
    assertNotFromTheApplication(bob);
    assertThat(request(proxy, HttpMethod.GET, "/admin").putHeader("Authorization", basicAuthorization("bob", "bob-secret-1"))
        .send().await().statusCode()).isEqualTo(403);

    JsonObject alice = echo(request(proxy, HttpMethod.GET, "/admin/panel")
        .putHeader("Authorization", basicAuthorization("alice", "alice-secret-1")).send().await());
    assertAlice(alice);

    // Bob is fine where no group is needed.
    JsonObject elsewhere = echo(request(proxy, HttpMethod.GET, "/app/x")
        .putHeader("Authorization", basicAuthorization("bob", "bob-secret-1")).send().await());
    assertThat(values(elsewhere, "remote-user")).containsExactly("bob");
    assertThat(values(elsewhere, "remote-groups")).containsExactly("developers");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void bypassRulesLetAnonymousRequestsThroughWithoutAnIdentity(Proxy proxy) {
    JsonObject byPath = echo(request(proxy, HttpMethod.GET, "/public/about.html").putHeader("Accept", HTML)
        .send().await());
    assertThat(byPath.getString("uri")).isEqualTo("/public/about.html");
    assertNoIdentity(byPath);

    JsonObject byHost = echo(request(proxy, HttpMethod.GET, "/anything").putHeader("Host", "public.example.com")
        .send().await());
    assertThat(values(byHost, "host")).containsExactly("public.example.com");
    assertNoIdentity(byHost);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void rulesSeeTheOriginalMethod(Proxy proxy) {
    String alice = basicAuthorization("alice", "alice-secret-1");
    assertThat(echo(request(proxy, HttpMethod.GET, "/reports/7").putHeader("Authorization", alice).send().await())
        .getString("method")).isEqualTo("GET");
    assertThat(request(proxy, HttpMethod.DELETE, "/reports/7").putHeader("Authorization", alice).send().await()
        .statusCode()).isEqualTo(403);
    JsonObject posted = echo(request(proxy, HttpMethod.POST, "/app/form").putHeader("Authorization", alice)
        .putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("the body goes to the application only"))
        .await());
    assertThat(posted.getString("method")).isEqualTo("POST");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void afterLogoutTheSameCookieIsSentToTheLoginPageAgain(Proxy proxy) {
    String session = cookie(client.postAbs(gatewayUrl("/v1/auth")).sendJsonObject(new JsonObject()
        .put("username", "carol").put("password", "carol-secret-1").put("session", true)).await(),
        "authgate_session").orElseThrow();
    JsonObject before = echo(request(proxy, HttpMethod.GET, "/app/inbox").putHeader("Accept", HTML)
        .putHeader("Cookie", "authgate_session=" + session).send().await());
    assertThat(values(before, "remote-user")).containsExactly("carol");

    String back = proxy.url("/public/bye");
    HttpResponse<Buffer> logout = client.getAbs(gatewayUrl("/logout?rd=" + encode(back)))
        .putHeader("Cookie", "authgate_session=" + session).send().await();
    assertThat(logout.statusCode()).isEqualTo(303);
    assertThat(logout.getHeader("Location")).isEqualTo(back);
    assertThat(logout.cookies()).anySatisfy(c -> assertThat(c).startsWith("authgate_session=;").contains("Max-Age=0"));

    HttpResponse<Buffer> after = request(proxy, HttpMethod.GET, "/app/inbox").putHeader("Accept", HTML)
        .putHeader("Cookie", "authgate_session=" + session).send().await();
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(after.getHeader("Location")).isEqualTo(loginUrl(proxy.url("/app/inbox")));
    assertThat(request(proxy, HttpMethod.GET, "/app/inbox").putHeader("Cookie", "authgate_session=" + session)
        .send().await().statusCode()).isEqualTo(401);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void aClientCannotForgeItsIdentity(Proxy proxy) {
    // Signed in as bob, claiming to be mallory of the admins.
    JsonObject asBob = echo(forged(request(proxy, HttpMethod.GET, "/app/profile"))
        .putHeader("Authorization", basicAuthorization("bob", "bob-secret-1")).send().await());
    assertThat(values(asBob, "remote-user")).containsExactly("bob");
    assertThat(values(asBob, "remote-groups")).containsExactly("developers");
    assertThat(values(asBob, "remote-email")).containsExactly("bob@example.org");
    assertThat(values(asBob, "remote-name")).containsExactly("Bob Builder");
    assertThat(underscoreSpellings(asBob)).isEmpty();

    // Where a bypass rule lets anyone in, nobody is anyone: the forged headers are gone too.
    JsonObject anonymous = echo(forged(request(proxy, HttpMethod.GET, "/public/page")).send().await());
    assertNoIdentity(anonymous);

    // Without credentials the forged headers get nobody in either.
    assertThat(forged(request(proxy, HttpMethod.GET, "/app/profile")).send().await().statusCode()).isEqualTo(401);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void forgedForwardingHeadersDoNotChangeWhatIsJudged(Proxy proxy) {
    HttpResponse<Buffer> response = request(proxy, HttpMethod.GET, "/admin/panel")
        .putHeader("Authorization", basicAuthorization("bob", "bob-secret-1"))
        .putHeader("X-Original-URL", "http://public.example.com/public/x")
        .putHeader("X-Original-Method", "GET")
        .putHeader("X-Forwarded-Host", "public.example.com")
        .putHeader("X-Forwarded-Uri", "/public/x")
        .putHeader("X-Forwarded-Method", "GET")
        .putHeader("X-Forwarded-Proto", "https")
        .send().await();
    assertThat(response.statusCode()).isEqualTo(403);

    HttpResponse<Buffer> browser = request(proxy, HttpMethod.GET, "/app/start").putHeader("Accept", HTML)
        .putHeader("X-Original-URL", "http://evil.example.net/phish")
        .putHeader("X-Forwarded-Host", "evil.example.net")
        .putHeader("X-Forwarded-Uri", "/phish")
        .send().await();
    assertThat(browser.statusCode()).isEqualTo(302);
    assertThat(browser.getHeader("Location")).isEqualTo(loginUrl(proxy.url("/app/start")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void encodedDotSegmentsAreJudgedOnTheResolvedPath(Proxy proxy) {
    HttpResponse<Buffer> anonymous = request(proxy, HttpMethod.GET, "/public/%2e%2e/admin/panel").send().await();
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<Buffer> bob = request(proxy, HttpMethod.GET, "/public/%2E%2E/admin/panel")
        .putHeader("Authorization", basicAuthorization("bob", "bob-secret-1")).send().await();
    assertThat(bob.statusCode()).isEqualTo(403);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void aUserWithoutAnEmailAddressReachesTheApplicationWithoutOne(Proxy proxy) {
    JsonObject echo = echo(request(proxy, HttpMethod.GET, "/app/me")
        .putHeader("Authorization", basicAuthorization("paren(user)", "paren-secret-1")).send().await());
    assertThat(values(echo, "remote-user")).containsExactly("paren(user)");
    assertThat(values(echo, "remote-name")).containsExactly("Paren User");
    assertThat(values(echo, "remote-email")).allSatisfy(v -> assertThat(v).isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void aNameOutsideAsciiArrivesAsUtf8(Proxy proxy) {
    JsonObject echo = echo(request(proxy, HttpMethod.GET, "/app/me")
        .putHeader("Authorization", basicAuthorization("zoe", "zoe-secret-1")).send().await());
    assertThat(values(echo, "remote-user")).containsExactly("zoe");
    assertThat(values(echo, "remote-name")).containsExactly("Zo\u00eb \u00dcnic\u00f6de");
  }

  /*
   * When a trusted proxy's description of the original request cannot be used (nginx's
   * X-Original-URL holds characters java.net.URI refuses, or has no host; Traefik/Caddy's
   * X-Forwarded-Host is empty), the gateway must neither judge the verify request itself (host
   * 127.0.0.1, path /v1/verify/...: the rules for the real path would be skipped) nor let it through.
   */

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void aRequestWithoutAHostHeaderIsNotJudgedOnTheGatewaysOwnUrl(Proxy proxy) throws IOException {
    // HTTP/1.0 allows leaving Host out: nginx then sends X-Original-URL http:///secret/plans and
    // Caddy an empty X-Forwarded-Host.
    assertThat(rawStatusLine(proxy, "GET /secret/plans HTTP/1.0\r\nAuthorization: "
        + basicAuthorization("alice", "alice-secret-1") + "\r\n\r\n")).doesNotContain(" 200 ");
    assertThat(rawStatusLine(proxy, "GET /admin/panel HTTP/1.0\r\nAuthorization: "
        + basicAuthorization("bob", "bob-secret-1") + "\r\n\r\n")).doesNotContain(" 200 ");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void aUrlJavaCannotParseIsNotJudgedOnTheGatewaysOwnUrl(Proxy proxy) throws IOException {
    // Characters RFC 3986 does not allow in a query, which nginx passes on in $request_uri as sent.
    for (String query : List.of("?x=|", "?x=%zz", "?x={}", "?x=\"", "?x=^", "?x=`", "?x=<")) {
      assertThat(rawStatusLine(proxy, "GET /secret/plans" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + proxy.port()
          + "\r\nAuthorization: " + basicAuthorization("alice", "alice-secret-1") + "\r\nConnection: close\r\n\r\n"))
          .as(query).doesNotContain(" 200 ");
      assertThat(rawStatusLine(proxy, "GET /admin/panel" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + proxy.port()
          + "\r\nAuthorization: " + basicAuthorization("bob", "bob-secret-1") + "\r\nConnection: close\r\n\r\n"))
          .as(query).doesNotContain(" 200 ");
    }
  }

  // ---- helpers ----

  private static HttpRequest<Buffer> request(Proxy proxy, HttpMethod method, String pathAndQuery) {
    return client.request(method, proxy.port(), "127.0.0.1", pathAndQuery);
  }

  private static HttpRequest<Buffer> forged(HttpRequest<Buffer> request) {
    return request.putHeader("Remote-User", "mallory").putHeader("Remote-Groups", "admins")
        .putHeader("Remote-Email", "mallory@evil.example.net").putHeader("Remote-Name", "Mallory")
        .putHeader("Remote_User", "mallory").putHeader("Remote_Groups", "admins");
  }

  private static String gatewayUrl(String pathAndQuery) {
    return "http://127.0.0.1:" + gateway.port() + pathAndQuery;
  }

  /** @return the login page URL the gateway sends a browser to, to come back to {@code original} */
  private static String loginUrl(String original) {
    return gatewayUrl("/login?rd=" + encode(original));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** @return what the application received, asserting the request reached it */
  private static JsonObject echo(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as("status; body: %s", response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    return response.bodyAsJsonObject();
  }

  private static void assertNotFromTheApplication(HttpResponse<Buffer> response) {
    assertThat(response.getHeader("content-type")).isNotEqualTo("application/json");
  }

  /** @return the values of one header the application received (name in lower case), in order */
  @SuppressWarnings("unchecked")
  private static List<String> values(JsonObject echo, String name) {
    JsonArray values = echo.getJsonObject("headers").getJsonArray(name);
    return values == null ? List.of() : (List<String>) values.getList();
  }

  private static void assertAlice(JsonObject echo) {
    assertThat(values(echo, "remote-user")).containsExactly("alice");
    assertThat(values(echo, "remote-groups")).hasSize(1);
    assertThat(values(echo, "remote-groups").get(0).split(","))
        .containsExactlyInAnyOrder("admins", "developers", "staff", "posix-devs");
    assertThat(values(echo, "remote-email")).containsExactly("alice@example.org");
    assertThat(values(echo, "remote-name")).containsExactly("Alice Liddell");
  }

  /** No identity header with a value reached the application, under any spelling. */
  private static void assertNoIdentity(JsonObject echo) {
    for (String name : IDENTITY) {
      assertThat(values(echo, name)).as(name).allSatisfy(v -> assertThat(v).isEmpty());
    }
    assertThat(underscoreSpellings(echo)).isEmpty();
  }

  /** @return identity headers spelled with underscores, which CGI-style frameworks read as the real ones */
  private static List<String> underscoreSpellings(JsonObject echo) {
    List<String> found = new ArrayList<>();
    for (String name : echo.getJsonObject("headers").fieldNames()) {
      if (name.contains("_") && IDENTITY.contains(name.replace('_', '-'))) {
        found.add(name + ": " + values(echo, name));
      }
    }
    return found;
  }

  private static String field(Pattern pattern, String html) {
    Matcher matcher = pattern.matcher(html);
    assertThat(matcher.find()).as("%s in the login page:\n%s", pattern, html).isTrue();
    return matcher.group(1);
  }

  private static Optional<String> cookie(HttpResponse<Buffer> response, String name) {
    return response.cookies().stream().filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
        .filter(v -> !v.isEmpty()).findFirst();
  }

  /** Sends a request as raw bytes (for what clients cannot be made to send) and returns the status line. */
  private static String rawStatusLine(Proxy proxy, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int end = response.indexOf("\r\n");
      return (end < 0 ? response : response.substring(0, end)).toLowerCase(Locale.ROOT) + " ";
    }
  }
}
