package io.authgate.gateway.saml;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.LogoutRequest;
import org.opensaml.saml.saml2.core.LogoutResponse;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.SessionIndex;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.StatusResponseType;
import org.w3c.dom.Element;

/**
 * Single logout over the Redirect binding: signed LogoutRequests to an IdP, LogoutResponses
 * back, and verification of both when an IdP sends them (query-string signature with the IdP's
 * metadata keys, issuer, destination, time). Immutable and thread-safe; blocking: call off the
 * event loop.
 */
public final class LogoutMessages {
  /** How old an incoming logout message may be (plus clock skew). */
  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private final ServiceProvider sp;

  /** @param sp the SP sending and receiving the messages */
  public LogoutMessages(ServiceProvider sp) {
    this.sp = sp;
  }

  /**
   * @param idp the IdP that opened the session; it must have a Redirect-binding SLO endpoint
   * @param nameId the NameID of the session's assertion
   * @param nameIdFormat its format, or null
   * @param sessionIndex the IdP session index, or null
   * @param relayState the relay state, or null
   * @return the signed redirect URL and the LogoutRequest ID to expect in the response
   */
  public AuthnRequests.Redirect request(Idp idp, String nameId, String nameIdFormat, String sessionIndex,
                                        String relayState) {
    return request(idp, AuthnRequests.newId(), nameId, nameIdFormat, sessionIndex, relayState);
  }

  /**
   * As {@link #request(Idp, String, String, String, String)}, with an ID the caller chose (from
   * {@link AuthnRequests#newId()}), e.g. to use it as the relay state too.
   *
   * @param id the LogoutRequest's ID
   * @return the signed redirect URL and {@code id}
   */
  public AuthnRequests.Redirect request(Idp idp, String id, String nameId, String nameIdFormat, String sessionIndex,
                                        String relayState) {
    String slo = sloUrl(idp);
    LogoutRequest request = SamlXml.build(LogoutRequest.DEFAULT_ELEMENT_NAME);
    request.setID(id);
    request.setVersion(SAMLVersion.VERSION_20);
    request.setIssueInstant(Instant.now());
    request.setDestination(slo);
    request.setIssuer(AuthnRequests.issuer(sp.entityId()));
    NameID name = SamlXml.build(NameID.DEFAULT_ELEMENT_NAME);
    name.setValue(nameId);
    name.setFormat(nameIdFormat);
    request.setNameID(name);
    if (sessionIndex != null) {
      SessionIndex index = SamlXml.build(SessionIndex.DEFAULT_ELEMENT_NAME);
      index.setValue(sessionIndex);
      request.getSessionIndexes().add(index);
    }
    return new AuthnRequests.Redirect(redirect(slo, RedirectBinding.SAML_REQUEST, request, relayState), id);
  }

  /**
   * @param idp the IdP whose LogoutRequest is answered
   * @param inResponseTo the LogoutRequest's ID
   * @param relayState the relay state it came with, or null
   * @return the signed redirect URL carrying a Success LogoutResponse
   */
  public String response(Idp idp, String inResponseTo, String relayState) {
    String slo = sloUrl(idp);
    LogoutResponse response = SamlXml.build(LogoutResponse.DEFAULT_ELEMENT_NAME);
    response.setID(AuthnRequests.newId());
    response.setVersion(SAMLVersion.VERSION_20);
    response.setIssueInstant(Instant.now());
    response.setDestination(slo);
    response.setInResponseTo(inResponseTo);
    response.setIssuer(AuthnRequests.issuer(sp.entityId()));
    Status status = SamlXml.build(Status.DEFAULT_ELEMENT_NAME);
    StatusCode code = SamlXml.build(StatusCode.DEFAULT_ELEMENT_NAME);
    code.setValue(StatusCode.SUCCESS);
    status.setStatusCode(code);
    response.setStatus(status);
    return redirect(slo, RedirectBinding.SAML_RESPONSE, response, relayState);
  }

  /**
   * An IdP-initiated logout, verified.
   *
   * @param idp the IdP that sent it
   * @param requestId its ID, for the LogoutResponse
   * @param nameId the subject whose sessions end
   * @param sessionIndexes the IdP sessions that end; empty means all of the subject's
   * @param relayState the relay state, or null
   */
  public record ReceivedRequest(Idp idp, String requestId, String nameId, List<String> sessionIndexes,
                                String relayState) {}

  /**
   * The answer to the SP's LogoutRequest, verified.
   *
   * @param idp the IdP that sent it
   * @param inResponseTo the SP LogoutRequest it answers
   * @param success whether the IdP reports Success
   * @param relayState the relay state, or null
   */
  public record ReceivedResponse(Idp idp, String inResponseTo, boolean success, String relayState) {}

  /**
   * @param rawQuery the query string exactly as received at the SLO endpoint
   * @param registry the trusted IdPs
   * @param now the current time
   * @return the verified LogoutRequest
   * @throws SamlRejected when unsigned, untrusted, misaddressed, stale or malformed
   */
  public ReceivedRequest receiveRequest(String rawQuery, IdpRegistry registry, Instant now) {
    Idp[] from = new Idp[1];
    RedirectBinding.Received r = RedirectBinding.decode(rawQuery, RedirectBinding.SAML_REQUEST,
        root -> trusted(root, registry, from));
    if (!(SamlXml.unmarshal(r.root()) instanceof LogoutRequest request)) {
      throw new SamlRejected(Reason.MALFORMED, "not a LogoutRequest");
    }
    checkCommon(request.getIssuer(), request.getDestination(), request.getIssueInstant(), from[0], now);
    if (request.getNotOnOrAfter() != null && !now.isBefore(request.getNotOnOrAfter().plus(sp.clockSkew()))) {
      throw new SamlRejected(Reason.TIME, "LogoutRequest expired at " + request.getNotOnOrAfter());
    }
    if (request.getNameID() == null || request.getNameID().getValue() == null) {
      throw new SamlRejected(Reason.MALFORMED, "LogoutRequest without a plain NameID");
    }
    return new ReceivedRequest(from[0], request.getID(), request.getNameID().getValue().trim(),
        request.getSessionIndexes().stream().map(SessionIndex::getValue).toList(), r.relayState());
  }

  /**
   * @param rawQuery the query string exactly as received at the SLO endpoint
   * @param registry the trusted IdPs
   * @param expectedRequestId the ID of the LogoutRequest this browser was sent with
   * @param now the current time
   * @return the verified LogoutResponse
   * @throws SamlRejected when unsigned, untrusted, misaddressed, stale, malformed or not an answer to that request
   */
  public ReceivedResponse receiveResponse(String rawQuery, IdpRegistry registry, String expectedRequestId,
                                          Instant now) {
    Idp[] from = new Idp[1];
    RedirectBinding.Received r = RedirectBinding.decode(rawQuery, RedirectBinding.SAML_RESPONSE,
        root -> trusted(root, registry, from));
    if (!(SamlXml.unmarshal(r.root()) instanceof LogoutResponse response)) {
      throw new SamlRejected(Reason.MALFORMED, "not a LogoutResponse");
    }
    checkCommon(response.getIssuer(), response.getDestination(), response.getIssueInstant(), from[0], now);
    if (expectedRequestId == null || !expectedRequestId.equals(response.getInResponseTo())) {
      throw new SamlRejected(Reason.IN_RESPONSE_TO, "LogoutResponse InResponseTo " + response.getInResponseTo());
    }
    return new ReceivedResponse(from[0], response.getInResponseTo(), success(response), r.relayState());
  }

  private static boolean success(StatusResponseType response) {
    return response.getStatus() != null && response.getStatus().getStatusCode() != null
        && StatusCode.SUCCESS.equals(response.getStatus().getStatusCode().getValue());
  }

  private static List<java.security.cert.X509Certificate> trusted(Element root, IdpRegistry registry, Idp[] from) {
    XMLObject message = SamlXml.unmarshal(root);
    Issuer issuer = message instanceof LogoutRequest q ? q.getIssuer()
        : message instanceof LogoutResponse p ? p.getIssuer() : null;
    Idp idp = registry.byEntityId(issuer == null ? null : issuer.getValue()).orElseThrow(() ->
        new SamlRejected(Reason.ISSUER, "logout message from unknown issuer " + (issuer == null ? null : issuer.getValue())));
    from[0] = idp;
    return idp.metadata().signingCertificates();
  }

  private void checkCommon(Issuer issuer, String destination, Instant issued, Idp idp, Instant now) {
    AssertionChecks.issuer(issuer, idp, "logout message");
    if (!sp.sloUrl().equals(destination)) {
      throw new SamlRejected(Reason.DESTINATION, "logout Destination " + destination);
    }
    if (issued == null || now.plus(sp.clockSkew()).isBefore(issued)
        || now.minus(MAX_AGE).minus(sp.clockSkew()).isAfter(issued)) {
      throw new SamlRejected(Reason.TIME, "logout message issued at " + issued);
    }
  }

  private String redirect(String slo, String parameter, XMLObject message, String relayState) {
    String xml = SamlXml.serialize(SamlXml.marshal(message));
    String query = RedirectBinding.encode(parameter, xml, relayState, sp.credentials().signing().getPrivateKey());
    return slo + (slo.contains("?") ? "&" : "?") + query;
  }

  private static String sloUrl(Idp idp) {
    return idp.metadata().sloRedirectUrl().orElseThrow(() -> new IllegalStateException(
        "IdP " + idp.id() + " has no SingleLogoutService for the Redirect binding"));
  }
}
