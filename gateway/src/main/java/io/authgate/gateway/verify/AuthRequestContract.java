package io.authgate.gateway.verify;

import io.authgate.gateway.http.HeaderNames;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;

/**
 * nginx {@code auth_request}: the original request comes as {@code X-Original-URL} and
 * {@code X-Original-Method}; nginx only understands 2xx, 401 and 403, so a browser gets 401 with
 * a {@code Location} to the login page, which the nginx configuration turns into a redirect.
 */
final class AuthRequestContract implements ProxyContract {
  /** The path nginx calls. */
  static final String PATH = "/v1/verify/auth-request";

  @Override
  public OriginalRequest original(RoutingContext ctx, boolean trusted) {
    String url = ctx.request().getHeader(HeaderNames.ORIGINAL_URL);
    if (!trusted || url == null) {
      return ProxyContract.itself(ctx);
    }
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null || uri.getRawAuthority() == null) {
        return ProxyContract.itself(ctx);
      }
      String method = ctx.request().getHeader(HeaderNames.ORIGINAL_METHOD);
      String pathAndQuery = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      return new OriginalRequest(method == null ? "GET" : method.toUpperCase(Locale.ROOT),
          uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost().toLowerCase(Locale.ROOT), uri.getRawAuthority(),
          pathAndQuery);
    } catch (java.net.URISyntaxException e) {
      return ProxyContract.itself(ctx);
    }
  }

  @Override
  public void unauthenticated(RoutingContext ctx, String loginUrl, boolean browser) {
    if (browser) {
      ctx.response().setStatusCode(401).putHeader(HeaderNames.LOCATION, loginUrl).end();
    } else {
      ProxyContract.challenge(ctx);
    }
  }
}
