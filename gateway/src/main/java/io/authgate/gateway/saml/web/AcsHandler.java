package io.authgate.gateway.saml.web;

import io.authgate.core.saml.PendingRequest;
import io.authgate.core.saml.PendingRequests;
import io.authgate.core.saml.ReplayCache;
import io.authgate.core.saml.SamlStores;
import io.authgate.gateway.auth.AuthService;
import io.authgate.gateway.http.BadRequestException;
import io.authgate.gateway.http.HeaderNames;
import io.authgate.gateway.http.RequestIds;
import io.authgate.gateway.http.UrlEncodedForm;
import io.authgate.gateway.portal.LoginPage;
import io.authgate.gateway.portal.Portal;
import io.authgate.gateway.saml.Expectations;
import io.authgate.gateway.saml.Idp;
import io.authgate.gateway.saml.SamlEngine;
import io.authgate.gateway.saml.SamlRejected;
import io.authgate.gateway.saml.ValidatedAssertion;
import io.authgate.gateway.session.SessionCookies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /saml/acs}: the assertion consumer service. A form with SAMLResponse or RelayState
 * given twice is refused as malformed before anything else. In order: the RelayState names the
 * pending request it answers (taken once, and only by the browser that made it), the engine
 * validates the response against that request (or as unsolicited, which the IdP must allow), the
 * assertion's ID is used once across every process sharing Redis, the store resolves the account,
 * and a session opens; the browser goes back to where it came from. Every refusal gives the browser
 * one generic page and the log and {@code authgate_saml_responses_total} the reason.
 *
 * <p>At most {@code saml.maxPendingSignIns} sign-ins are in progress at once, whichever step each is
 * at; the next is answered 503 before any work. The bound covers every step, not only validation:
 * validation runs on worker threads that compete with the event loops for the cores, so when it
 * alone was bounded, an open flood of sign-ins kept the workers busy validating while the
 * validated ones queued without bound for the store's connections, whose answers the starved
 * event loops read late; the queue grew faster than the store drained it, and sign-ins waited out
 * their browsers, then the store's acquire timeout. Thread-safe.
 */
final class AcsHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(AcsHandler.class);
  private final SamlEngine engine;
  private final PendingRequests pending;
  private final ReplayCache replay;
  private final SamlUsers users;
  private final AuthService auth;
  private final SessionCookies cookies;
  private final Portal portal;
  private final SamlMeters meters;
  private final int maxResponseBytes;
  private final int maxPendingSignIns;
  /** Sign-ins taken and not yet answered. */
  private final AtomicInteger pendingSignIns = new AtomicInteger();

  /** {@code saml.maxPendingSignIns} sign-ins are in progress already: this one is not taken. */
  static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy(int limit) {
      super(limit + " sign-ins are in progress already", null, false, false);
    }
  }

  /** What the ACS learned so far: the IdP, when known, and the request answered, when solicited. */
  private static final class Attempt {
    String idp = SamlMeters.UNKNOWN_IDP;
    PendingRequest request;
  }

  AcsHandler(SamlEngine engine, PendingRequests pending, ReplayCache replay, SamlUsers users, AuthService auth,
             SessionCookies cookies, Portal portal, SamlMeters meters, int maxResponseBytes, int maxPendingSignIns) {
    this.engine = engine;
    this.pending = pending;
    this.replay = replay;
    this.users = users;
    this.auth = auth;
    this.cookies = cookies;
    this.portal = portal;
    this.meters = meters;
    this.maxResponseBytes = maxResponseBytes;
    this.maxPendingSignIns = maxPendingSignIns;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Attempt attempt = new Attempt();
    String response;
    String relayState;
    try {
      response = UrlEncodedForm.field(ctx, SamlPaths.SAML_RESPONSE);
      relayState = UrlEncodedForm.field(ctx, SamlPaths.RELAY_STATE);
    } catch (BadRequestException e) {
      // Which of two responses, or of two requests answered? The browser's IdP sends each once.
      refuse(ctx, attempt, new SamlRejected(SamlRejected.Reason.MALFORMED, e.getMessage()));
      return;
    }
    if (response == null || response.isBlank() || response.length() > maxResponseBytes) {
      refuse(ctx, attempt, new SamlRejected(SamlRejected.Reason.MALFORMED,
          response == null || response.isBlank() ? "no SAMLResponse" : "SAMLResponse over the size limit"));
      return;
    }
    if (pendingSignIns.incrementAndGet() > maxPendingSignIns) {
      pendingSignIns.decrementAndGet();
      refuse(ctx, attempt, new Busy(maxPendingSignIns));
      return;
    }
    boolean mayBePending = relayState != null && !relayState.isEmpty() && relayState.length() <= SamlStores.MAX_ID_LENGTH;
    // Begun inside compose, so even a step that throws ends in the handlers below, which free the place.
    Future.succeededFuture()
        .compose(v -> mayBePending ? pending.take(relayState) : Future.<PendingRequest>succeededFuture())
        .compose(request -> expectations(ctx, attempt, request, relayState))
        .compose(expected -> engine.validate(response, expected).map(assertion -> {
          attempt.idp = assertion.idpId();
          return assertion;
        }))
        .compose(assertion -> replay.firstUse(replayKey(assertion), assertion.notOnOrAfter()).compose(first -> first
            ? Future.succeededFuture(assertion)
            : Future.failedFuture(new SamlRejected(SamlRejected.Reason.REPLAY,
                "assertion " + assertion.assertionId() + " was already used"))))
        .compose(assertion -> signIn(ctx, assertion, relayState, attempt))
        .onFailure(e -> refuse(ctx, attempt, e))
        .onComplete(ar -> pendingSignIns.decrementAndGet());
  }

  /** @return the replay cache's key: the assertion's ID within its issuer, so no IdP can use up another's IDs */
  private static String replayKey(ValidatedAssertion assertion) {
    return PendingRequest.bindingOf(assertion.issuer() + '\n' + assertion.assertionId());
  }

  /** The request this response answers must come back to the browser that made it. */
  private Future<Expectations> expectations(RoutingContext ctx, Attempt attempt, PendingRequest request,
                                            String requestId) {
    if (request == null) {
      return Future.succeededFuture(Expectations.unsolicited());
    }
    attempt.idp = request.idpId();
    Cookie cookie = ctx.request().getCookie(SamlPaths.BROWSER_COOKIE);
    if (!request.boundTo(cookie == null ? null : PendingRequest.bindingOf(cookie.getValue()))) {
      return Future.failedFuture(new SamlRejected(SamlRejected.Reason.IN_RESPONSE_TO,
          "request " + requestId + " was made by another browser"));
    }
    if (request.expiredAt(Instant.now())) {
      return Future.failedFuture(new SamlRejected(SamlRejected.Reason.IN_RESPONSE_TO,
          "request " + requestId + " expired"));
    }
    attempt.request = request;
    return Future.succeededFuture(Expectations.solicited(request.idpId(), requestId));
  }

  private Future<Void> signIn(RoutingContext ctx, ValidatedAssertion assertion, String relayState, Attempt attempt) {
    Idp idp = engine.registry().byId(assertion.idpId()).orElse(null);
    if (idp == null) {
      // Removed or disabled by a reload while its response was being validated: it is no longer trusted.
      return Future.failedFuture(new SamlRejected(SamlRejected.Reason.ISSUER,
          "identity provider " + assertion.idpId() + " was removed while its response was validated"));
    }
    return users.resolve(assertion, idp.config())
        .compose(signIn -> auth.openSession(signIn.principal(), signIn.roles()).map(issued -> {
          meters.accepted(idp.id());
          LOG.info("SAML sign-in accepted: request {}, IdP {}, account {}, assertion {}", RequestIds.of(ctx),
              idp.id(), signIn.account().id(), assertion.assertionId());
          cookies.set(ctx, issued.token());
          // Solicited: the return URL checked at login. Unsolicited: the RelayState, through the same guard.
          String target = portal.redirectTarget(attempt.request != null ? attempt.request.returnUrl() : relayState);
          ctx.response().setStatusCode(303).putHeader(HeaderNames.LOCATION, target).end();
          return (Void) null;
        }));
  }

  private void refuse(RoutingContext ctx, Attempt attempt, Throwable failure) {
    String reason;
    int status;
    if (failure instanceof SamlRejected rejected) {
      reason = rejected.reason().label();
      status = 400;
    } else if (failure instanceof SamlUsers.Refused refused) {
      reason = refused.reason();
      status = refused.reason().equals(SamlOutcome.UNAVAILABLE) ? 503 : 403;
    } else if (failure instanceof Busy) {
      reason = SamlOutcome.OVERLOADED;
      status = 503;
    } else {
      reason = SamlOutcome.UNAVAILABLE;
      status = 503;
    }
    meters.rejected(attempt.idp, reason);
    if (failure instanceof Busy) {
      // Shedding load comes in floods: the meter counts each, the log would only add to the load.
      LOG.debug("SAML response refused: request {}: {}", RequestIds.of(ctx), failure.getMessage());
    } else {
      LOG.warn("SAML response refused: request {}, IdP {}, reason {}: {}", RequestIds.of(ctx), attempt.idp, reason,
          failure.getMessage());
    }
    if (ctx.response().ended()) {
      return;
    }
    if (status == 503) {
      ctx.response().putHeader("Retry-After", "1");
    }
    LoginPage.message(ctx, portal, status, "Sign-in failed",
        status == 503 ? "Signing in is not possible right now. Please try again in a moment."
            : "The sign-in could not be completed. Please try again.");
  }
}
