package io.authgate.gateway.verify;

import io.authgate.gateway.http.HeaderNames;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Envoy's HTTP {@code ext_authz}: Envoy sends the original method and path under a path prefix
 * ({@code /v1/verify/ext-authz/original/path}) with the original {@code Host}; any non-2xx answer
 * goes to the client as is, so a browser gets a 302 to the login page.
 */
final class ExtAuthzContract implements ProxyContract {
  /** The path prefix Envoy is configured with. */
  static final String PREFIX = "/v1/verify/ext-authz";

  @Override
  public OriginalRequest original(RoutingContext ctx, boolean trusted) {
    String uri = ctx.request().uri();
    String rest = uri.length() > PREFIX.length() ? uri.substring(PREFIX.length()) : "/";
    if (!rest.startsWith("/")) {
      rest = "/" + rest;
    }
    String authority = ctx.request().authority() == null ? "" : ctx.request().authority().toString();
    String proto = trusted ? ctx.request().getHeader(HeaderNames.FORWARDED_PROTO) : null;
    return new OriginalRequest(ctx.request().method().name().toUpperCase(Locale.ROOT),
        "https".equalsIgnoreCase(proto) || ctx.request().isSSL() ? "https" : "http", ProxyContract.hostOf(authority),
        authority, rest);
  }

  @Override
  public int browserLoginStatus() {
    return 302;
  }
}
