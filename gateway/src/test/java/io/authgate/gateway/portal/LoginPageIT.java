package io.authgate.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.gateway.GatewayHarness;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The login page and sessions over HTTP, as a browser uses them. */
@ExtendWith(NoBlockedThreads.class)
class LoginPageIT {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayHarness.start("""
        session: {secureCookie: true, cookieDomain: example.com}
        portal:
          url: "https://auth.example.com/login"
          allowedRedirectDomains: [example.com]
          defaultRedirect: "https://www.example.com/"
        directories:
          - name: main
            urls: ["%s"]
            baseDn: dc=example,dc=org
            bindDn: %s
            bindPassword: %s
            requiredGroups: [developers, staff, admins]
        """.formatted(Slapd.shared().url(), Slapd.ADMIN_DN, Slapd.ADMIN_PASSWORD), Map.of());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** A fresh form: its CSRF token, and the cookie carrying it. */
  private record Form(String token, String cookie, HttpResponse<Buffer> response) {}

  private static Form form(String rd) {
    HttpResponse<Buffer> page = gateway.client().get("/login" + (rd == null ? "" : "?rd=" + rd)).send().await();
    Matcher m = CSRF.matcher(page.bodyAsString());
    assertThat(m.find()).isTrue();
    String cookie = page.cookies().stream().filter(c -> c.startsWith("authgate_csrf=")).findFirst().orElseThrow();
    return new Form(m.group(1), cookie.substring(0, cookie.indexOf(';')), page);
  }

  private static HttpResponse<Buffer> post(Form form, String username, String password, String rd) {
    MultiMap fields = MultiMap.caseInsensitiveMultiMap().add("username", username).add("password", password)
        .add("csrf", form.token());
    if (rd != null) {
      fields.add("rd", rd);
    }
    return gateway.client().post("/login").putHeader("Cookie", form.cookie()).sendForm(fields).await();
  }

  private static String sessionCookie(HttpResponse<Buffer> response) {
    return response.cookies().stream().filter(c -> c.startsWith("authgate_session=")).findFirst().orElse(null);
  }

  @Test
  void theFormIsSafeToShow() {
    Form form = form("https://app.example.com/x");
    HttpResponse<Buffer> page = form.response();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.getHeader("Content-Security-Policy")).startsWith("default-src 'none'");
    assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.bodyAsString()).contains("name=\"rd\" value=\"https://app.example.com/x\"")
        .contains("action=\"/login\"");
    assertThat(form.response().cookies().get(0)).contains("HTTPOnly").contains("SameSite=Strict").contains("Secure")
        .contains("Path=/login");
    assertThat(form("https://evil.com/").response().bodyAsString()).doesNotContain("evil.com");
  }

  @Test
  void signingInOpensASessionAndGoesBackToTheAllowedPage() {
    HttpResponse<Buffer> response = post(form(null), "alice", "alice-secret-1", "https://app.example.com/x?y=1");
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.getHeader("Location")).isEqualTo("https://app.example.com/x?y=1");
    String cookie = sessionCookie(response);
    assertThat(cookie).contains("HTTPOnly").contains("SameSite=Lax").contains("Secure").contains("Path=/")
        .contains("Domain=example.com").contains("Max-Age=43200");
    String token = cookie.substring("authgate_session=".length(), cookie.indexOf(';'));
    assertThat(gateway.client().get("/v1/verify").putHeader("Cookie", "authgate_session=" + token).send().await()
        .getHeader("Remote-User")).isEqualTo("alice");
    HttpResponse<Buffer> again = gateway.client().get("/login").putHeader("Cookie", "authgate_session=" + token)
        .send().await();
    assertThat(again.bodyAsString()).contains("You are signed in as <strong>Alice Liddell</strong> (alice)");
    HttpResponse<Buffer> second = post(form(null), "alice", "alice-secret-1", null);
    assertThat(sessionCookie(second)).as("a new session every login").isNotEqualTo(cookie);
  }

  @Test
  void openRedirectsFallBackToTheDefault() {
    for (String rd : new String[] {"https://evil.com/", "//evil.com", "/\\evil.com", "javascript:alert(1)",
        "https://example.com@evil.com/", "https://app.example.com/%0d%0aSet-Cookie:x"}) {
      HttpResponse<Buffer> response = post(form(null), "bob", "bob-secret-1", rd);
      assertThat(response.statusCode()).isEqualTo(303);
      assertThat(response.getHeader("Location")).as(rd).isEqualTo("https://www.example.com/");
    }
  }

  @Test
  void aFailedSignInShowsTheGenericErrorAndOpensNothing() {
    for (String[] attempt : new String[][] {{"alice", "wrong"}, {"nobody-here", "whatever-9"}, {"locked",
        "locked-secret-1"}}) {
      HttpResponse<Buffer> response = post(form(null), attempt[0], attempt[1], null);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.bodyAsString()).contains("The username or password is not correct.");
      assertThat(sessionCookie(response)).isNull();
    }
    HttpResponse<Buffer> blank = post(form(null), "alice", "", null);
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(blank.bodyAsString()).contains("Enter your username and password.");
    // A field sent twice is refused, not read as one of its values: something in front of the
    // gateway may read the other.
    Form twice = form(null);
    HttpResponse<Buffer> twoNames = gateway.client().post("/login").putHeader("Cookie", twice.cookie())
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("username", "bob").add("username", "alice")
            .add("password", "alice-secret-1").add("csrf", twice.token())).await();
    assertThat(twoNames.statusCode()).isEqualTo(400);
    assertThat(twoNames.bodyAsString()).contains("Enter your username and password.");
    assertThat(sessionCookie(twoNames)).isNull();
    HttpResponse<Buffer> noGroup = post(form(null), "zoe", "zoe-secret-1", null);
    assertThat(noGroup.statusCode()).isEqualTo(403);
    assertThat(sessionCookie(noGroup)).isNull();
  }

  @Test
  void aPostWithoutTheMatchingSignedTokenIsRefused() {
    Form form = form(null);
    MultiMap fields = MultiMap.caseInsensitiveMultiMap().add("username", "alice").add("password", "alice-secret-1");
    HttpResponse<Buffer> noToken = gateway.client().post("/login").sendForm(fields).await();
    assertThat(noToken.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> noCookie = gateway.client().post("/login")
        .sendForm(MultiMap.caseInsensitiveMultiMap().addAll(fields).add("csrf", form.token())).await();
    assertThat(noCookie.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> otherCookie = gateway.client().post("/login").putHeader("Cookie", form(null).cookie())
        .sendForm(MultiMap.caseInsensitiveMultiMap().addAll(fields).add("csrf", form.token())).await();
    assertThat(otherCookie.statusCode()).isEqualTo(403);
    assertThat(sessionCookie(otherCookie)).isNull();
    assertThat(otherCookie.bodyAsString()).contains("The sign-in form expired.");
  }

  @Test
  void loggingOutEndsTheSessionEverywhereAndRedirectsSafely() {
    String cookie = sessionCookie(post(form(null), "carol", "carol-secret-1", null));
    String token = cookie.substring("authgate_session=".length(), cookie.indexOf(';'));
    HttpResponse<Buffer> out = gateway.client().get("/logout?rd=https://app.example.com/bye")
        .putHeader("Cookie", "authgate_session=" + token).send().await();
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.getHeader("Location")).isEqualTo("https://app.example.com/bye");
    assertThat(sessionCookie(out)).contains("Max-Age=0");
    assertThat(gateway.client().get("/v1/verify").putHeader("Cookie", "authgate_session=" + token).send().await()
        .statusCode()).isEqualTo(401);
    assertThat(gateway.client().get("/logout?rd=//evil.com").send().await().getHeader("Location"))
        .isEqualTo("https://www.example.com/");
  }

  @Test
  void theApiOpensSessionsOnRequestAndLogsThemOut() {
    HttpResponse<Buffer> plain = gateway.client().post("/v1/auth")
        .sendJsonObject(new JsonObject().put("username", "bob").put("password", "bob-secret-1")).await();
    assertThat(plain.bodyAsJsonObject().containsKey("session")).isFalse();
    assertThat(sessionCookie(plain)).isNull();
    HttpResponse<Buffer> withSession = gateway.client().post("/v1/auth")
        .sendJsonObject(new JsonObject().put("username", "bob").put("password", "bob-secret-1").put("session", true))
        .await();
    String token = withSession.bodyAsJsonObject().getJsonObject("session").getString("token");
    assertThat(sessionCookie(withSession)).startsWith("authgate_session=" + token + ";");
    HttpResponse<Buffer> out = gateway.client().post("/v1/logout").putHeader("Authorization", "Bearer " + token)
        .send().await();
    assertThat(out.bodyAsJsonObject().getBoolean("loggedOut")).isTrue();
    assertThat(gateway.client().get("/v1/verify").putHeader("Authorization", "Bearer " + token).send().await()
        .statusCode()).isEqualTo(401);
    assertThat(gateway.client().post("/v1/auth").sendJsonObject(new JsonObject().put("username", "bob")
        .put("password", "bob-secret-1").put("session", "yes")).await().statusCode()).isEqualTo(400);
  }
}
