package io.authgate.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The admin API's authentication and authorization, before any validation: a request without a
 * usable key fails with 401, one whose role may not use the method with 403. The caller is put on
 * the context under {@link #CALLER}. Thread-safe.
 */
public final class ApiKeyAuthentication implements Handler<RoutingContext> {
  /** The context key of the {@link Caller}. */
  public static final String CALLER = "authgate.admin.caller";
  private static final String BEARER_PREFIX = AdminPaths.BEARER.toLowerCase(Locale.ROOT) + " ";

  private final ApiKeyAuthenticator keys;

  /** @param keys finds who holds a key */
  public ApiKeyAuthentication(ApiKeyAuthenticator keys) {
    this.keys = keys;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = presented(ctx);
    if (presented == null) {
      ctx.fail(ProblemException.unauthorized("send an API key as Authorization: Bearer <key> or "
          + AdminPaths.API_KEY_HEADER));
      return;
    }
    keys.authenticate(presented).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
      } else if (done.result() == null) {
        ctx.fail(ProblemException.unauthorized("the API key is unknown, revoked or expired"));
      } else if (!done.result().role().mayUse(ctx.request().method())) {
        ctx.fail(ProblemException.forbidden("the role " + done.result().role().name().toLowerCase(Locale.ROOT)
            + " may only read"));
      } else {
        ctx.put(CALLER, done.result());
        ctx.next();
      }
    });
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
