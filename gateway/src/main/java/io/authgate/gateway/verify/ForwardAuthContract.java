package io.authgate.gateway.verify;

import io.authgate.gateway.http.HeaderNames;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Traefik {@code ForwardAuth} and Caddy {@code forward_auth}: the original request comes as
 * {@code X-Forwarded-Method}, {@code -Proto}, {@code -Host} and {@code -Uri}; the proxy hands any
 * non-2xx answer to the client as is, so a browser gets a 302 to the login page.
 */
final class ForwardAuthContract implements ProxyContract {
  /** The path Traefik and Caddy call. */
  static final String PATH = "/v1/verify/forward-auth";

  @Override
  public OriginalRequest original(RoutingContext ctx, boolean trusted) {
    String host = ctx.request().getHeader(HeaderNames.FORWARDED_HOST);
    String uri = ctx.request().getHeader(HeaderNames.FORWARDED_URI);
    if (!trusted) {
      return ProxyContract.itself(ctx);
    }
    if (host == null || ProxyContract.hostOf(host.trim()).isEmpty() || uri == null || !uri.startsWith("/")) {
      return null;
    }
    String method = ctx.request().getHeader(HeaderNames.FORWARDED_METHOD);
    String proto = ctx.request().getHeader(HeaderNames.FORWARDED_PROTO);
    String authority = host.trim();
    return new OriginalRequest(method == null ? "GET" : method.toUpperCase(Locale.ROOT),
        "https".equalsIgnoreCase(proto) ? "https" : "http", ProxyContract.hostOf(authority), authority,
        uri);
  }

  @Override
  public int browserLoginStatus() {
    return 302;
  }
}
