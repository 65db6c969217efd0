package io.authgate.gateway.verify;

import io.authgate.gateway.http.HeaderNames;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * How one kind of reverse proxy asks: where it puts the original request, and how it wants a
 * request without a valid identity answered. Implementations are small, stateless and
 * thread-safe.
 */
interface ProxyContract {

  /**
   * @param ctx the verify request
   * @param trusted whether it comes from a trusted proxy; forwarded headers from anyone else are ignored
   * @return the request the proxy asks about, or {@code null} when a trusted proxy described it in a
   *     way that cannot be judged (no host, no path): such a request is refused, never judged as the
   *     verify request itself, which would skip the rules written for the real path
   */
  OriginalRequest original(RoutingContext ctx, boolean trusted);

  /**
   * @return the status that sends a browser without a valid identity to the login page: 302, or
   *     401 for a proxy that understands only 2xx, 401 and 403 (the {@code Location} goes with it)
   */
  int browserLoginStatus();

  /**
   * Answers a request that carries no valid identity: a browser goes to the login page, an API
   * client gets a Basic challenge.
   *
   * @param loginUrl the login page, with the original URL to come back to when it is known
   * @param browser whether the client is a browser (asks for HTML) rather than an API client
   */
  default void unauthenticated(RoutingContext ctx, String loginUrl, boolean browser) {
    if (browser) {
      ctx.response().setStatusCode(browserLoginStatus()).putHeader(HeaderNames.LOCATION, loginUrl).end();
    } else {
      ctx.response().setStatusCode(401).putHeader(HeaderNames.WWW_AUTHENTICATE, HeaderNames.BASIC_CHALLENGE).end();
    }
  }

  /** The verify request taken as the original one, when nothing trustworthy says otherwise. */
  static OriginalRequest itself(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String authority = request.authority() == null ? "" : request.authority().toString();
    return new OriginalRequest(request.method().name(), request.isSSL() ? "https" : "http", hostOf(authority),
        authority, request.uri());
  }

  /** @return the host of an authority, lower case, without port */
  static String hostOf(String authority) {
    String host = authority;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(1, end) : host;
    } else if (host.indexOf(':') >= 0) {
      host = host.substring(0, host.indexOf(':'));
    }
    return host.toLowerCase(Locale.ROOT);
  }
}
