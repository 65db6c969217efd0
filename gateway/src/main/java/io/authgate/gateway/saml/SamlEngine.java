package io.authgate.gateway.saml;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;

/**
 * The asynchronous face of the SAML engine: runs each blocking step (parsing, signature checks,
 * decryption, signing) on a worker thread, unordered, so no event loop waits. The SP and its
 * IdPs are replaced together by {@link #swap} (a reload): each step uses the pair current when it
 * starts. Thread-safe.
 */
public final class SamlEngine {
  private final Vertx vertx;
  private volatile State state;

  /** The SP and the IdPs it trusts, with the validators built on them. */
  private record State(ServiceProvider sp, IdpRegistry registry, ResponseValidator validator, LogoutMessages logout) {
    static State of(ServiceProvider sp, IdpRegistry registry) {
      return new State(sp, registry, new ResponseValidator(sp), new LogoutMessages(sp));
    }
  }

  /**
   * @param vertx the Vert.x instance whose workers run the blocking steps
   * @param sp the SP
   * @param registry the trusted IdPs
   */
  public SamlEngine(Vertx vertx, ServiceProvider sp, IdpRegistry registry) {
    this.vertx = vertx;
    this.state = State.of(sp, registry);
  }

  /**
   * Replaces the SP (its keys) and the trusted IdPs at once; steps already running finish with the
   * previous pair.
   */
  public void swap(ServiceProvider sp, IdpRegistry registry) {
    this.state = State.of(sp, registry);
  }

  /** @return OpenSAML initialized (once per JVM) */
  public Future<Void> initialize() {
    return vertx.executeBlocking(() -> {
      SamlBootstrap.initialize();
      return null;
    }, false);
  }

  /** @return the SP this engine speaks for */
  public ServiceProvider serviceProvider() {
    return state.sp();
  }

  /** @return the trusted IdPs */
  public IdpRegistry registry() {
    return state.registry();
  }

  /** @return the SP metadata XML */
  public Future<String> metadata() {
    State current = state;
    boolean signs = current.registry().all().stream().anyMatch(i -> i.config().signAuthnRequests());
    return vertx.executeBlocking(() -> SpMetadata.xml(current.sp(), signs), false);
  }

  /** @return an AuthnRequest redirect to this IdP; see {@link AuthnRequests#create} */
  public Future<AuthnRequests.Redirect> authnRequest(Idp idp, String relayState) {
    return vertx.executeBlocking(() -> AuthnRequests.create(serviceProvider(), idp, relayState), false);
  }

  /** @return an AuthnRequest redirect to this IdP with the given ID; see {@link AuthnRequests#create} */
  public Future<AuthnRequests.Redirect> authnRequest(Idp idp, String requestId, String relayState) {
    return vertx.executeBlocking(() -> AuthnRequests.create(serviceProvider(), idp, requestId, relayState), false);
  }

  /**
   * @return the validated assertion, or failed with {@link SamlRejected}; see {@link ResponseValidator#validate}.
   *     The caller bounds how many wait for a worker (the ACS's {@code saml.maxPendingSignIns})
   */
  public Future<ValidatedAssertion> validate(String samlResponse, Expectations expected) {
    State current = state;
    return vertx.executeBlocking(() -> current.validator().validate(samlResponse, current.registry(), expected), false);
  }

  /** @return a signed LogoutRequest redirect with the given ID; see {@link LogoutMessages#request} */
  public Future<AuthnRequests.Redirect> logoutRequest(Idp idp, String requestId, String nameId, String nameIdFormat,
                                                      String sessionIndex, String relayState) {
    LogoutMessages logout = state.logout();
    return vertx.executeBlocking(() -> logout.request(idp, requestId, nameId, nameIdFormat, sessionIndex, relayState),
        false);
  }

  /** @return a signed LogoutRequest redirect; see {@link LogoutMessages#request} */
  public Future<AuthnRequests.Redirect> logoutRequest(Idp idp, String nameId, String nameIdFormat,
                                                      String sessionIndex, String relayState) {
    LogoutMessages logout = state.logout();
    return vertx.executeBlocking(() -> logout.request(idp, nameId, nameIdFormat, sessionIndex, relayState), false);
  }

  /** @return a signed LogoutResponse redirect; see {@link LogoutMessages#response} */
  public Future<String> logoutResponse(Idp idp, String inResponseTo, String relayState) {
    LogoutMessages logout = state.logout();
    return vertx.executeBlocking(() -> logout.response(idp, inResponseTo, relayState), false);
  }

  /** @return the verified IdP LogoutRequest; see {@link LogoutMessages#receiveRequest} */
  public Future<LogoutMessages.ReceivedRequest> receiveLogoutRequest(String rawQuery) {
    State current = state;
    return vertx.executeBlocking(() -> current.logout().receiveRequest(rawQuery, current.registry(), Instant.now()),
        false);
  }

  /** @return the verified IdP LogoutResponse; see {@link LogoutMessages#receiveResponse} */
  public Future<LogoutMessages.ReceivedResponse> receiveLogoutResponse(String rawQuery, String expectedRequestId) {
    State current = state;
    return vertx.executeBlocking(() -> current.logout().receiveResponse(rawQuery, current.registry(), expectedRequestId,
        Instant.now()), false);
  }
}
