package io.authgate.gateway.verify;

import io.authgate.gateway.http.HeaderNames;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/verify}, for proxies and applications without a contract of their own: from a
 * trusted proxy it reads the forwarded headers Traefik and Caddy send, else nginx's
 * {@code X-Original-URL}, else (neither present) judges the verify request itself; it answers
 * browsers as nginx needs (401 with a {@code Location}), which a generic client can also follow.
 */
final class PlainContract implements ProxyContract {
  /** The path. */
  static final String PATH = "/v1/verify";
  private final ForwardAuthContract headers = new ForwardAuthContract();
  private final AuthRequestContract answers = new AuthRequestContract();

  @Override
  public OriginalRequest original(RoutingContext ctx, boolean trusted) {
    if (trusted && ctx.request().getHeader(HeaderNames.FORWARDED_HOST) == null) {
      return ctx.request().getHeader(HeaderNames.ORIGINAL_URL) == null ? ProxyContract.itself(ctx)
          : answers.original(ctx, true);
    }
    return headers.original(ctx, trusted);
  }

  @Override
  public int browserLoginStatus() {
    return answers.browserLoginStatus();
  }
}
