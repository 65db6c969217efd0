package io.authgate.gateway.session;

import io.authgate.core.session.SessionStore;
import io.authgate.gateway.http.HeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/logout}: ends the session of the cookie or bearer token on every gateway, and
 * tells the browser to drop the cookie. Idempotent: without a live session it answers the same.
 */
public final class LogoutHandler implements Handler<RoutingContext> {
  /** The path. */
  public static final String PATH = "/v1/logout";
  private final SessionStore sessions;
  private final SessionCookies cookies;

  /**
   * @param sessions where sessions live
   * @param cookies reads and clears the cookie
   */
  public LogoutHandler(SessionStore sessions, SessionCookies cookies) {
    this.sessions = sessions;
    this.cookies = cookies;
  }

  @Override
  public void handle(RoutingContext ctx) {
    cookies.find(ctx).map(found -> sessions.revoke(found.token())).orElse(Future.succeededFuture())
        .onSuccess(v -> {
          cookies.clear(ctx);
          ctx.response().putHeader("content-type", HeaderNames.JSON).end("{\"loggedOut\":true}");
        })
        .onFailure(ctx::fail);
  }
}
