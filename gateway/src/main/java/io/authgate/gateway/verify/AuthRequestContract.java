package io.authgate.gateway.verify;

import io.authgate.gateway.http.HeaderNames;
import io.vertx.ext.web.RoutingContext;
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
    if (!trusted) {
      return ProxyContract.itself(ctx);
    }
    String url = ctx.request().getHeader(HeaderNames.ORIGINAL_URL);
    String method = ctx.request().getHeader(HeaderNames.ORIGINAL_METHOD);
    return url == null ? null : parse(url, method == null ? "GET" : method);
  }

  /**
   * Splits {@code $scheme://$http_host$request_uri} as nginx builds it. nginx passes the request
   * target on as the client sent it, which may hold characters {@link java.net.URI} refuses
   * ({@code |}, {@code {}}, {@code %zz}); the split is therefore by hand, on the first {@code /}
   * or {@code ?} after the authority, and the path is normalised later by the access rules.
   *
   * @return the original request, or {@code null} when the URL has no scheme, host or path
   */
  static OriginalRequest parse(String url, String method) {
    int colon = url.indexOf("://");
    if (colon <= 0) {
      return null;
    }
    String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    int authorityStart = colon + 3;
    int end = authorityStart;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(authorityStart, end);
    String host = ProxyContract.hostOf(authority);
    if (host.isEmpty() || authority.indexOf('@') >= 0 || end == url.length() || url.charAt(end) != '/') {
      return null;
    }
    String target = url.substring(end);
    int fragment = target.indexOf('#');
    return new OriginalRequest(method.toUpperCase(Locale.ROOT), scheme, host, authority,
        fragment < 0 ? target : target.substring(0, fragment));
  }

  @Override
  public int browserLoginStatus() {
    return 401;
  }
}
