package io.authgate.gateway.session;

import io.authgate.core.config.SessionConfig;
import io.authgate.gateway.http.BadRequestException;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.http.SingleValues;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Reads and writes the session cookie ({@code HttpOnly}, {@code SameSite=Lax}, {@code Secure}
 * unless turned off for plain-HTTP development, the configured name and domain), and finds a
 * session token in a request: the cookie, else {@code Authorization: Bearer}. Immutable.
 */
public final class SessionCookies {
  private final SessionConfig config;

  /** @param config the cookie settings */
  public SessionCookies(SessionConfig config) {
    this.config = config;
  }

  /** Where a token was found. */
  public enum Carrier { COOKIE, BEARER }

  /** A token and where it came from. */
  public record Found(String token, Carrier carrier) {
    @Override
    public String toString() {
      return "Found[token=******, carrier=" + carrier + "]";
    }
  }

  /**
   * @return the session token the request carries, if any
   * @throws BadRequestException when there is no cookie and the Authorization header is given twice
   */
  public Optional<Found> find(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(config.cookieName());
    if (cookie != null && !cookie.getValue().isEmpty()) {
      return Optional.of(new Found(cookie.getValue(), Carrier.COOKIE));
    }
    String authorization = SingleValues.single(ctx.request().headers(), HeaderNames.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, HeaderNames.BEARER, 0, HeaderNames.BEARER.length())) {
      return Optional.of(new Found(authorization.substring(HeaderNames.BEARER.length()).trim(), Carrier.BEARER));
    }
    return Optional.empty();
  }

  /** Sets the session cookie, living as long as the session may. */
  public void set(RoutingContext ctx, String token) {
    ctx.response().addCookie(base(token).setMaxAge(config.absoluteTimeout().toSeconds()));
  }

  /** Tells the browser to drop the session cookie. */
  public void clear(RoutingContext ctx) {
    ctx.response().addCookie(base("").setMaxAge(0));
  }

  private Cookie base(String value) {
    Cookie cookie = Cookie.cookie(config.cookieName(), value).setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX).setSecure(config.secureCookie());
    config.cookieDomain().ifPresent(cookie::setDomain);
    return cookie;
  }
}
