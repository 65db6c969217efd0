package io.authgate.gateway.saml.web;

import io.authgate.core.saml.PendingRequest;
import io.authgate.core.saml.PendingRequests;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.portal.LoginPage;
import io.authgate.gateway.portal.Portal;
import io.authgate.gateway.saml.AuthnRequests;
import io.authgate.gateway.saml.Idp;
import io.authgate.gateway.saml.SamlEngine;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /saml/{idp}/login?rd=URL}: SP-initiated login by the Redirect binding. The request's
 * ID goes out as the RelayState too, and is remembered with the IdP, the return URL (only when the
 * redirect guard allows it) and the browser: a random value in the {@code authgate_saml} cookie,
 * of which the store keeps only the SHA-256. The ACS accepts the answer only from that browser.
 * Thread-safe.
 */
final class SamlLoginHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(SamlLoginHandler.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SamlEngine engine;
  private final PendingRequests pending;
  private final Portal portal;
  private final Duration lifetime;
  private final boolean secureCookie;

  SamlLoginHandler(SamlEngine engine, PendingRequests pending, Portal portal, Duration lifetime, boolean secureCookie) {
    this.engine = engine;
    this.pending = pending;
    this.portal = portal;
    this.lifetime = lifetime;
    this.secureCookie = secureCookie;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<Idp> idp = engine.registry().byId(ctx.pathParam("idp"));
    if (idp.isEmpty()) {
      LoginPage.message(ctx, portal, 404, "Unknown sign-in option", "This single sign-on option does not exist.");
      return;
    }
    String returnTo = portal.acceptedReturn(ctx.request().getParam(SamlPaths.RETURN_TO));
    String browser = browserValue(ctx);
    String requestId = AuthnRequests.newId();
    PendingRequest request = new PendingRequest(idp.get().id(), PendingRequest.bindingOf(browser), returnTo,
        Instant.now().plus(lifetime));
    pending.put(requestId, request)
        .compose(v -> engine.authnRequest(idp.get(), requestId, requestId))
        .onSuccess(redirect -> {
          ctx.response().addCookie(browserCookie(browser));
          ctx.response().setStatusCode(302).putHeader(HeaderNames.LOCATION, redirect.redirectUrl()).end();
        })
        .onFailure(e -> {
          LOG.warn("SAML login at IdP {} could not start: {}", idp.get().id(), e.toString());
          LoginPage.message(ctx, portal, 503, "Single sign-on unavailable",
              "Signing in with this provider is not possible right now. Please try again in a moment.");
        });
  }

  /** @return the browser's binding value: the one its cookie holds, else a new one */
  private static String browserValue(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(SamlPaths.BROWSER_COOKIE);
    if (cookie != null && cookie.getValue().matches("[A-Za-z0-9_-]{43}")) {
      return cookie.getValue();
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The IdP posts to the ACS from its own site: only {@code SameSite=None} cookies (which browsers
   * accept only with {@code Secure}) travel with that POST. Over plain HTTP (development) the
   * cookie has no SameSite attribute at all.
   */
  private Cookie browserCookie(String value) {
    Cookie cookie = Cookie.cookie(SamlPaths.BROWSER_COOKIE, value).setPath(SamlPaths.ACS).setHttpOnly(true)
        .setMaxAge(lifetime.toSeconds()).setSecure(secureCookie);
    return secureCookie ? cookie.setSameSite(CookieSameSite.NONE) : cookie;
  }
}
