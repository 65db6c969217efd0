package io.authgate.gateway.saml;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;

/**
 * The asynchronous face of the SAML engine: runs each blocking step (parsing, signature checks,
 * decryption, signing) on a worker thread, unordered, so no event loop waits. Immutable and
 * thread-safe.
 */
public final class SamlEngine {
  private final Vertx vertx;
  private final ServiceProvider sp;
  private final IdpRegistry registry;
  private final ResponseValidator validator;
  private final LogoutMessages logout;

  /**
   * @param vertx the Vert.x instance whose workers run the blocking steps
   * @param sp the SP
   * @param registry the trusted IdPs
   */
  public SamlEngine(Vertx vertx, ServiceProvider sp, IdpRegistry registry) {
    this.vertx = vertx;
    this.sp = sp;
    this.registry = registry;
    this.validator = new ResponseValidator(sp);
    this.logout = new LogoutMessages(sp);
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
    return sp;
  }

  /** @return the trusted IdPs */
  public IdpRegistry registry() {
    return registry;
  }

  /** @return the SP metadata XML */
  public Future<String> metadata() {
    boolean signs = registry.all().stream().anyMatch(i -> i.config().signAuthnRequests());
    return vertx.executeBlocking(() -> SpMetadata.xml(sp, signs), false);
  }

  /** @return an AuthnRequest redirect to this IdP; see {@link AuthnRequests#create} */
  public Future<AuthnRequests.Redirect> authnRequest(Idp idp, String relayState) {
    return vertx.executeBlocking(() -> AuthnRequests.create(sp, idp, relayState), false);
  }

  /** @return an AuthnRequest redirect to this IdP with the given ID; see {@link AuthnRequests#create} */
  public Future<AuthnRequests.Redirect> authnRequest(Idp idp, String requestId, String relayState) {
    return vertx.executeBlocking(() -> AuthnRequests.create(sp, idp, requestId, relayState), false);
  }

  /** @return the validated assertion, or failed with {@link SamlRejected}; see {@link ResponseValidator#validate} */
  public Future<ValidatedAssertion> validate(String samlResponse, Expectations expected) {
    return vertx.executeBlocking(() -> validator.validate(samlResponse, registry, expected), false);
  }

  /** @return a signed LogoutRequest redirect with the given ID; see {@link LogoutMessages#request} */
  public Future<AuthnRequests.Redirect> logoutRequest(Idp idp, String requestId, String nameId, String nameIdFormat,
                                                      String sessionIndex, String relayState) {
    return vertx.executeBlocking(() -> logout.request(idp, requestId, nameId, nameIdFormat, sessionIndex, relayState),
        false);
  }

  /** @return a signed LogoutRequest redirect; see {@link LogoutMessages#request} */
  public Future<AuthnRequests.Redirect> logoutRequest(Idp idp, String nameId, String nameIdFormat,
                                                      String sessionIndex, String relayState) {
    return vertx.executeBlocking(() -> logout.request(idp, nameId, nameIdFormat, sessionIndex, relayState), false);
  }

  /** @return a signed LogoutResponse redirect; see {@link LogoutMessages#response} */
  public Future<String> logoutResponse(Idp idp, String inResponseTo, String relayState) {
    return vertx.executeBlocking(() -> logout.response(idp, inResponseTo, relayState), false);
  }

  /** @return the verified IdP LogoutRequest; see {@link LogoutMessages#receiveRequest} */
  public Future<LogoutMessages.ReceivedRequest> receiveLogoutRequest(String rawQuery) {
    return vertx.executeBlocking(() -> logout.receiveRequest(rawQuery, registry, Instant.now()), false);
  }

  /** @return the verified IdP LogoutResponse; see {@link LogoutMessages#receiveResponse} */
  public Future<LogoutMessages.ReceivedResponse> receiveLogoutResponse(String rawQuery, String expectedRequestId) {
    return vertx.executeBlocking(() -> logout.receiveResponse(rawQuery, registry, expectedRequestId, Instant.now()), false);
  }
}
