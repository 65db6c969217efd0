package io.authgate.gateway.verify;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.session.SessionStore;
import io.authgate.gateway.auth.AuthService;
import io.authgate.gateway.http.ClientAddresses;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.portal.Portal;
import io.authgate.gateway.session.SessionCookies;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verify endpoints: {@code /v1/verify}, {@code /v1/verify/auth-request} (nginx),
 * {@code /v1/verify/forward-auth} (Traefik, Caddy) and {@code /v1/verify/ext-authz/...} (Envoy),
 * each a {@link ProxyContract} in front of one {@link VerifyService}. 200 carries the identity
 * headers; 403 when a rule denies or a required group is missing; no identity goes to the login
 * page (browsers) or gets a Basic challenge (API clients); 400 when a trusted proxy's description of
 * the original request has no usable host or path.
 */
public final class VerifyHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyHandler.class);
  private final ProxyContract contract;
  private final VerifyService service;
  private final ClientAddresses addresses;
  private final Portal portal;
  private final IdentityHeaders headers;
  private final VerifyMeters meters;

  private VerifyHandler(ProxyContract contract, VerifyService service, ClientAddresses addresses, Portal portal,
                        IdentityHeaders headers, VerifyMeters meters) {
    this.contract = contract;
    this.service = service;
    this.addresses = addresses;
    this.portal = portal;
    this.headers = headers;
    this.meters = meters;
  }

  /**
   * Mounts every verify endpoint on a router.
   *
   * @param router the gateway's router
   * @param config the configuration: access rules, header names
   * @param sessions where sessions live
   * @param cookies reads the session cookie
   * @param auth checks Basic credentials
   * @param addresses finds the client behind trusted proxies, and whether a request comes from one
   * @param portal the login page
   * @param registry where {@code authgate_verify_requests_total} goes
   */
  public static void mount(Router router, AuthgateConfig config, SessionStore sessions, SessionCookies cookies,
                           AuthService auth, ClientAddresses addresses, Portal portal, MeterRegistry registry) {
    VerifyService service = new VerifyService(new AccessRules(config.access()), sessions, cookies, auth);
    IdentityHeaders headers = new IdentityHeaders(config.headers());
    VerifyMeters meters = new VerifyMeters(registry);
    router.route(PlainContract.PATH)
        .handler(new VerifyHandler(new PlainContract(), service, addresses, portal, headers, meters));
    router.route(AuthRequestContract.PATH)
        .handler(new VerifyHandler(new AuthRequestContract(), service, addresses, portal, headers, meters));
    router.route(ForwardAuthContract.PATH)
        .handler(new VerifyHandler(new ForwardAuthContract(), service, addresses, portal, headers, meters));
    router.routeWithRegex("^" + ExtAuthzContract.PREFIX + "(/.*)?$")
        .handler(new VerifyHandler(new ExtAuthzContract(), service, addresses, portal, headers, meters));
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean trusted = addresses.fromTrustedProxy(ctx);
    OriginalRequest original = contract.original(ctx, trusted);
    if (original == null) {
      LOG.warn("verify refused: proxy {} described the original request without a usable host or path",
          ctx.request().remoteAddress());
      meters.recordMalformed();
      ctx.response().setStatusCode(400).end();
      return;
    }
    service.verify(ctx, original, () -> addresses.of(ctx)).onSuccess(outcome -> {
      meters.record(outcome);
      answer(ctx, outcome, trusted ? original.url() : null);
    }).onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, VerifyOutcome outcome, String returnTo) {
    if (outcome instanceof VerifyOutcome.Allowed allowed) {
      if (allowed.identity() != null) {
        headers.write(ctx.response(), allowed.identity().principal());
      }
      ctx.response().setStatusCode(200).end();
    } else if (outcome instanceof VerifyOutcome.Unauthenticated) {
      String accept = ctx.request().getHeader(HeaderNames.ACCEPT);
      contract.unauthenticated(ctx, portal.loginUrl(returnTo), accept != null && accept.contains("text/html"));
    } else if (outcome instanceof VerifyOutcome.Unavailable) {
      ctx.response().setStatusCode(503).putHeader(HeaderNames.RETRY_AFTER, "5").end();
    } else {
      ctx.response().setStatusCode(403).end();
    }
  }
}
