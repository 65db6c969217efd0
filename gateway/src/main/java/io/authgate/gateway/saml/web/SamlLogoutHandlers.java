package io.authgate.gateway.saml.web;

import io.authgate.core.identity.Principal;
import io.authgate.core.saml.PendingRequest;
import io.authgate.core.saml.PendingRequests;
import io.authgate.core.session.SessionStore;
import io.authgate.core.store.UserAccounts;
import io.authgate.gateway.auth.AuthService;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.http.SingleValues;
import io.authgate.gateway.portal.LoginPage;
import io.authgate.gateway.portal.Portal;
import io.authgate.gateway.saml.AuthnRequests;
import io.authgate.gateway.saml.Idp;
import io.authgate.gateway.saml.SamlEngine;
import io.authgate.gateway.session.SessionCookies;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single logout by the Redirect binding. {@code GET /saml/logout?rd=URL} ends the browser's
 * session and, when it came from an IdP with a logout endpoint, sends the browser there with a
 * signed LogoutRequest whose answer returns to {@code rd}. {@code GET /saml/slo} takes an IdP's
 * signed LogoutRequest (every session of that subject ends, on every process) or the answer to
 * ours. Thread-safe.
 */
final class SamlLogoutHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(SamlLogoutHandlers.class);
  private final SamlEngine engine;
  private final PendingRequests pending;
  private final SessionStore sessions;
  private final SessionCookies cookies;
  private final AuthService auth;
  private final UserAccounts accounts;
  private final Portal portal;
  private final Duration lifetime;

  SamlLogoutHandlers(SamlEngine engine, PendingRequests pending, SessionStore sessions, SessionCookies cookies,
                     AuthService auth, UserAccounts accounts, Portal portal, Duration lifetime) {
    this.engine = engine;
    this.pending = pending;
    this.sessions = sessions;
    this.cookies = cookies;
    this.auth = auth;
    this.accounts = accounts;
    this.portal = portal;
    this.lifetime = lifetime;
  }

  /** {@code GET /saml/logout}: the SP-initiated logout. */
  void logout(RoutingContext ctx) {
    String returnTo = portal.acceptedReturn(ctx.request().getParam(SamlPaths.RETURN_TO));
    Optional<SessionCookies.Found> token = cookies.find(ctx);
    Future<Principal> ended = token.isEmpty() ? Future.succeededFuture()
        : sessions.find(token.get().token()).compose(session -> sessions.revoke(token.get().token())
            .map(v -> session == null ? null : session.principal()));
    ended.compose(principal -> {
      cookies.clear(ctx);
      Optional<Idp> idp = principal == null ? Optional.empty() : engine.registry().byId(principal.directory());
      if (idp.isEmpty() || idp.get().metadata().sloRedirectUrl().isEmpty() || principal.dn().isEmpty()) {
        return Future.succeededFuture(portal.redirectTarget(returnTo));
      }
      // The LogoutRequest's ID doubles as its RelayState, so its answer names the request it answers.
      // It is not bound to the browser: all it can do is redirect to a target the guard accepted.
      String requestId = AuthnRequests.newId();
      return pending.put(requestId, new PendingRequest(idp.get().id(), PendingRequest.bindingOf(requestId), returnTo,
              Instant.now().plus(lifetime)))
          .compose(v -> engine.logoutRequest(idp.get(), requestId, principal.dn(), null, null, requestId))
          .map(AuthnRequests.Redirect::redirectUrl);
    }).onSuccess(target -> ctx.response().setStatusCode(303).putHeader(HeaderNames.LOCATION, target).end())
        .onFailure(e -> {
          LOG.warn("SAML logout: the session ended, but the IdP could not be told: {}", e.toString());
          if (!ctx.response().ended()) {
            ctx.response().setStatusCode(303).putHeader(HeaderNames.LOCATION, portal.redirectTarget(returnTo)).end();
          }
        });
  }

  /** {@code GET /saml/slo}: an IdP's LogoutRequest, or its answer to ours. */
  void slo(RoutingContext ctx) {
    String query = ctx.request().query();
    if (query != null && ctx.request().getParam(SamlPaths.SAML_REQUEST) != null) {
      fromIdp(ctx, query);
    } else if (query != null && ctx.request().getParam(SamlPaths.SAML_RESPONSE) != null) {
      answer(ctx, query);
    } else {
      LoginPage.message(ctx, portal, 400, "Sign-out failed", "This sign-out request is not valid.");
    }
  }

  private void fromIdp(RoutingContext ctx, String query) {
    engine.receiveLogoutRequest(query).compose(request -> accounts.findBySamlSubject(
            request.idp().metadata().entityId(), request.nameId())
        .compose(account -> account == null ? Future.succeededFuture(0)
            : sessions.revokeAll(auth.sessionKey(request.idp().id(), account.username())))
        .compose(revoked -> {
          LOG.info("SAML logout from IdP {}: {} session(s) ended", request.idp().id(), revoked);
          return engine.logoutResponse(request.idp(), request.requestId(), request.relayState());
        }))
        .onSuccess(url -> ctx.response().setStatusCode(302).putHeader(HeaderNames.LOCATION, url).end())
        .onFailure(e -> {
          LOG.warn("SAML LogoutRequest refused: {}", e.getMessage());
          LoginPage.message(ctx, portal, 400, "Sign-out failed", "This sign-out request is not valid.");
        });
  }

  private void answer(RoutingContext ctx, String query) {
    // A RelayState given twice fails here, before its first copy takes the pending request.
    Future.succeededFuture().map(v -> SingleValues.single(ctx.request().params(), SamlPaths.RELAY_STATE))
        .compose(relayState -> (relayState == null ? Future.<PendingRequest>succeededFuture() : pending.take(relayState))
            .compose(request -> engine.receiveLogoutResponse(query, request == null ? null : relayState)
                .map(response -> portal.redirectTarget(request == null ? null : request.returnUrl()))))
        .onSuccess(target -> ctx.response().setStatusCode(303).putHeader(HeaderNames.LOCATION, target).end())
        .onFailure(e -> {
          LOG.warn("SAML LogoutResponse refused: {}", e.getMessage());
          ctx.response().setStatusCode(303).putHeader(HeaderNames.LOCATION, portal.redirectTarget(null)).end();
        });
  }
}
