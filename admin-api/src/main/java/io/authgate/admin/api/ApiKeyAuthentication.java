package io.authgate.admin.api;

import io.authgate.core.apikeys.ApiKeyFormat;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The admin API's authentication and authorization, before any validation. A caller presents an
 * API key ({@code Authorization: Bearer agk_...} or the API key header), or, when
 * {@code admin.groups} is configured, a gateway session (the session cookie, or its token as a
 * bearer token) of a user in an admin group ({@link AdminSessions}). A request without a usable
 * credential fails with 401, one whose role may not use the method with 403. A session cookie
 * alone does not carry a cross-site form post: with the cookie, a POST must be
 * {@code application/json} (which a browser sends cross-site only after a CORS preflight this API
 * never grants). The caller is put on the context under {@link #CALLER}. Thread-safe.
 */
public final class ApiKeyAuthentication implements Handler<RoutingContext> {
  /** The context key of the {@link Caller}. */
  public static final String CALLER = "authgate.admin.caller";
  private static final String BEARER_PREFIX = AdminPaths.BEARER.toLowerCase(Locale.ROOT) + " ";

  private final ApiKeyAuthenticator keys;
  private final AdminSessions sessions;
  private final String cookieName;

  /**
   * @param keys finds who holds a key
   * @param sessions finds admins signed in at the gateway, or null to accept API keys only
   * @param cookieName the gateway's session cookie
   */
  public ApiKeyAuthentication(ApiKeyAuthenticator keys, AdminSessions sessions, String cookieName) {
    this.keys = keys;
    this.sessions = sessions != null && sessions.enabled() ? sessions : null;
    this.cookieName = cookieName;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = presented(ctx);
    Future<Caller> caller;
    if (presented != null && (sessions == null || presented.startsWith(ApiKeyFormat.PREFIX))) {
      caller = keys.authenticate(presented);
    } else if (presented != null) {
      caller = sessions.authenticate(presented);
    } else if (sessions != null && ctx.request().getCookie(cookieName) != null) {
      if (!crossSiteSafe(ctx)) {
        ctx.fail(ProblemException.forbidden("with the session cookie, send the body as application/json"));
        return;
      }
      caller = sessions.authenticate(ctx.request().getCookie(cookieName).getValue());
    } else {
      ctx.fail(ProblemException.unauthorized("send an API key as Authorization: Bearer <key> or "
          + AdminPaths.API_KEY_HEADER));
      return;
    }
    caller.onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
      } else if (done.result() == null) {
        ctx.fail(ProblemException.unauthorized(presented != null && presented.startsWith(ApiKeyFormat.PREFIX)
            ? "the API key is unknown, revoked or expired" : "the credential is unknown, revoked or expired"));
      } else if (!done.result().role().mayUse(ctx.request().method())) {
        ctx.fail(ProblemException.forbidden("the role " + done.result().role().name().toLowerCase(Locale.ROOT)
            + " may only read"));
      } else {
        ctx.put(CALLER, done.result());
        ctx.next();
      }
    });
  }

  private static boolean crossSiteSafe(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.POST) {
      return true;
    }
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  /** @return the key from {@code Authorization: Bearer} or the API key header, or null */
  static String presented(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.length() > BEARER_PREFIX.length()
        && authorization.substring(0, BEARER_PREFIX.length()).toLowerCase(Locale.ROOT).equals(BEARER_PREFIX)) {
      String key = authorization.substring(BEARER_PREFIX.length()).trim();
      return key.isEmpty() ? null : key;
    }
    String header = ctx.request().getHeader(AdminPaths.API_KEY_HEADER);
    return header == null || header.isBlank() ? null : header.trim();
  }
}
