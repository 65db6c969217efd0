package io.authgate.gateway.verify;

import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/verify}, for proxies and applications without a contract of their own: it reads
 * the forwarded headers Traefik and Caddy send, when they come from a trusted proxy, and answers
 * browsers as nginx needs (401 with a {@code Location}), which a generic client can also follow.
 */
final class PlainContract implements ProxyContract {
  /** The path. */
  static final String PATH = "/v1/verify";
  private final ForwardAuthContract headers = new ForwardAuthContract();
  private final AuthRequestContract answers = new AuthRequestContract();

  @Override
  public OriginalRequest original(RoutingContext ctx, boolean trusted) {
    return headers.original(ctx, trusted);
  }

  @Override
  public void unauthenticated(RoutingContext ctx, String loginUrl, boolean browser) {
    answers.unauthenticated(ctx, loginUrl, browser);
  }
}
