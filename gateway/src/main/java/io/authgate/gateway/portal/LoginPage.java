package io.authgate.gateway.portal;

import io.authgate.core.identity.Credentials;
import io.authgate.core.session.SessionStore;
import io.authgate.gateway.auth.AuthDecision;
import io.authgate.gateway.auth.AuthEvents;
import io.authgate.gateway.auth.AuthRequest;
import io.authgate.gateway.auth.AuthService;
import io.authgate.gateway.auth.BasicCredentials;
import io.authgate.gateway.http.BadRequestException;
import io.authgate.gateway.http.ClientAddresses;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.http.SingleValues;
import io.authgate.gateway.session.SessionCookies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/**
 * The browser's way in and out. {@code GET /login?rd=URL} shows the form (or, to someone signed
 * in, who they are); {@code POST /login} signs in through the same path as {@code POST /v1/auth},
 * opens a session, sets the cookie and redirects to {@code rd} when the redirect guard allows it,
 * else to the default; a failed sign-in shows the generic error. {@code GET /logout?rd=URL} ends
 * the session and redirects likewise.
 */
public final class LoginPage {
  private static final String INVALID = "The username or password is not correct.";
  private static final String FORBIDDEN = "This account may not sign in here.";
  private static final String UNAVAILABLE = "Signing in is not possible right now. Please try again in a moment.";
  private static final String EXPIRED = "The sign-in form expired. Please try again.";

  private final AuthService auth;
  private final SessionStore sessions;
  private final SessionCookies cookies;
  private final ClientAddresses addresses;
  private final Portal portal;
  private final CsrfTokens csrf;
  private final boolean secureCookies;

  private LoginPage(AuthService auth, SessionStore sessions, SessionCookies cookies, ClientAddresses addresses,
                    Portal portal, byte[] csrfKey, boolean secureCookies) {
    this.auth = auth;
    this.sessions = sessions;
    this.cookies = cookies;
    this.addresses = addresses;
    this.portal = portal;
    this.csrf = new CsrfTokens(csrfKey);
    this.secureCookies = secureCookies;
  }

  /**
   * Mounts {@code /login} and {@code /logout}.
   *
   * @param csrfKey the key signing CSRF tokens
   * @param secureCookies whether cookies are HTTPS-only
   */
  public static void mount(Router router, AuthService auth, SessionStore sessions, SessionCookies cookies,
                           ClientAddresses addresses, Portal portal, byte[] csrfKey, boolean secureCookies,
                           int maxBodyBytes) {
    LoginPage page = new LoginPage(auth, sessions, cookies, addresses, portal, csrfKey, secureCookies);
    router.get(Portal.LOGIN_PATH).handler(page::show);
    router.post(Portal.LOGIN_PATH).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(page::signIn);
    router.get(Portal.LOGOUT_PATH).handler(page::signOut);
  }

  private void show(RoutingContext ctx) {
    String returnTo = portal.acceptedReturn(ctx.request().getParam("rd"));
    Optional<SessionCookies.Found> token = cookies.find(ctx);
    if (token.isEmpty()) {
      form(ctx, 200, returnTo, null, null);
      return;
    }
    sessions.find(token.get().token()).onSuccess(session -> {
      if (session == null) {
        form(ctx, 200, returnTo, null, null);
      } else {
        String name = session.principal().displayName() == null ? session.principal().username()
            : session.principal().displayName();
        html(ctx.response(), 200).end(LoginHtml.signedIn(name, session.principal().username(),
            portal.redirectTarget(returnTo), portal.logoutUrl()));
      }
    }).onFailure(ctx::fail);
  }

  private void signIn(RoutingContext ctx) {
    String returnTo = portal.acceptedReturn(ctx.request().getFormAttribute("rd"));
    MultiMap fields = ctx.request().formAttributes();
    String username = ctx.request().getFormAttribute("username");
    Cookie token = ctx.request().getCookie(CsrfTokens.COOKIE);
    if (!csrf.accepts(token == null ? null : token.getValue(), ctx.request().getFormAttribute(CsrfTokens.FIELD))) {
      form(ctx, 403, returnTo, username, EXPIRED);
      return;
    }
    Credentials credentials;
    try {
      credentials = BasicCredentials.checked(SingleValues.single(fields, "username"),
          SingleValues.single(fields, "password"));
    } catch (BadRequestException e) {
      form(ctx, 400, returnTo, username, "Enter your username and password.");
      return;
    }
    AuthRequest request = new AuthRequest(credentials, Optional.empty(), false, true);
    String address = addresses.of(ctx);
    auth.authenticate(request, address).onSuccess(decision -> {
      AuthEvents.log(ctx, request, address, decision);
      if (decision instanceof AuthDecision.Granted granted) {
        auth.openSession(granted).onSuccess(issued -> {
          cookies.set(ctx, issued.token());
          ctx.response().setStatusCode(303).putHeader(HeaderNames.LOCATION, portal.redirectTarget(returnTo)).end();
        }).onFailure(ctx::fail);
      } else if (decision instanceof AuthDecision.Forbidden) {
        form(ctx, 403, returnTo, username, FORBIDDEN);
      } else if (decision instanceof AuthDecision.Unavailable) {
        form(ctx, 503, returnTo, username, UNAVAILABLE);
      } else {
        form(ctx, 401, returnTo, username, INVALID);
      }
    }).onFailure(ctx::fail);
  }

  private void signOut(RoutingContext ctx) {
    String target = portal.redirectTarget(ctx.request().getParam("rd"));
    Optional<SessionCookies.Found> token = cookies.find(ctx);
    (token.isPresent() ? sessions.revoke(token.get().token()) : io.vertx.core.Future.<Void>succeededFuture())
        .onComplete(ar -> {
          cookies.clear(ctx);
          ctx.response().setStatusCode(303).putHeader(HeaderNames.LOCATION, target).end();
        });
  }

  private void form(RoutingContext ctx, int status, String returnTo, String username, String error) {
    String token = csrf.issue();
    Cookie cookie = Cookie.cookie(CsrfTokens.COOKIE, token).setPath(portal.formAction()).setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT).setSecure(secureCookies);
    ctx.response().addCookie(cookie);
    html(ctx.response(), status).end(LoginHtml.form(portal.formAction(), token, returnTo, username, error,
        portal.idpButtons(returnTo)));
  }

  /**
   * Answers with a page that only tells the user something (a failed single sign-on, say), with the
   * login page's headers and a link back to it.
   *
   * @param status the HTTP status
   * @param title the page's heading
   * @param text what to tell the user: never a reason an attacker could learn from
   */
  public static void message(RoutingContext ctx, Portal portal, int status, String title, String text) {
    html(ctx.response(), status).end(LoginHtml.message(title, text, portal.formAction(), "Back to sign in"));
  }

  private static HttpServerResponse html(HttpServerResponse response, int status) {
    return response.setStatusCode(status)
        .putHeader("content-type", HeaderNames.HTML)
        .putHeader("Content-Security-Policy", LoginHtml.CONTENT_SECURITY_POLICY)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
  }
}
