package io.authgate.gateway.saml;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.util.Base64;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.StatusCode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Validates a SAMLResponse received at the ACS (POST binding), strictly: hardened parsing, exactly
 * one assertion, unique IDs, signatures only where SAML puts them and verified with the IdP's
 * metadata keys only, SHA-2 and RSA-OAEP only, issuer, destination, recipient, audience, time
 * window with skew, status and InResponseTo. Only the content of the verified element is used.
 * Replay is the caller's job: it records {@link ValidatedAssertion#assertionId()} until
 * {@link ValidatedAssertion#notOnOrAfter()}. Immutable and thread-safe.
 */
public final class ResponseValidator {
  private final ServiceProvider sp;

  /** @param sp the SP whose ACS the responses are posted to */
  public ResponseValidator(ServiceProvider sp) {
    this.sp = sp;
  }

  /**
   * Blocking (parses XML, verifies signatures, decrypts): call off the event loop.
   *
   * @param samlResponse the base64 {@code SAMLResponse} form field
   * @param registry the trusted IdPs
   * @param expected the IdP and request this browser is expected to answer, and the time
   * @return the facts of the verified assertion
   * @throws SamlRejected with the reason when anything is wrong
   */
  public ValidatedAssertion validate(String samlResponse, IdpRegistry registry, Expectations expected) {
    Document doc = SamlXml.parse(decode(samlResponse));
    Element root = doc.getDocumentElement();
    if (!SAMLConstants.SAML20P_NS.equals(root.getNamespaceURI()) || !"Response".equals(root.getLocalName())) {
      throw new SamlRejected(Reason.MALFORMED, "root element is not a samlp:Response");
    }
    XmlGuards.uniqueIds(doc);
    XmlGuards.signaturesInPlace(doc);
    XMLObject object = SamlXml.unmarshal(root);
    if (!(object instanceof Response response) || response.getVersion() != SAMLVersion.VERSION_20) {
      throw new SamlRejected(Reason.MALFORMED, "not a SAML 2.0 Response");
    }
    status(response);
    XmlGuards.exactlyOneAssertion(doc);
    Idp idp = idp(response, registry, expected);
    solicitation(response, idp, expected);
    if (response.getIssuer() != null) {
      AssertionChecks.issuer(response.getIssuer(), idp, "response");
    }
    boolean responseSigned = response.getSignature() != null;
    destination(response, responseSigned);
    if (response.getIssueInstant() == null
        || expected.now().plus(sp.clockSkew()).isBefore(response.getIssueInstant())) {
      throw new SamlRejected(Reason.TIME, "response issued in the future: " + response.getIssueInstant());
    }
    if (responseSigned) {
      SignatureCheck.verify(response, idp.metadata().signingCertificates());
    }
    Assertion assertion = assertion(response);
    if (assertion.getSignature() != null) {
      SignatureCheck.verify(assertion, idp.metadata().signingCertificates());
    } else if (!responseSigned) {
      throw new SamlRejected(Reason.SIGNATURE, "neither the response nor the assertion is signed");
    }
    return AssertionChecks.check(assertion, idp, sp, expected);
  }

  private byte[] decode(String samlResponse) {
    if (samlResponse == null || samlResponse.isBlank()) {
      throw new SamlRejected(Reason.MALFORMED, "no SAMLResponse");
    }
    if (samlResponse.length() > sp.maxResponseBytes()) {
      throw new SamlRejected(Reason.MALFORMED, "SAMLResponse of " + samlResponse.length() + " bytes is too large");
    }
    try {
      return Base64.getMimeDecoder().decode(samlResponse.trim());
    } catch (IllegalArgumentException e) {
      throw new SamlRejected(Reason.MALFORMED, "SAMLResponse is not base64");
    }
  }

  private static void status(Response response) {
    String code = response.getStatus() == null || response.getStatus().getStatusCode() == null
        ? null : response.getStatus().getStatusCode().getValue();
    if (!StatusCode.SUCCESS.equals(code)) {
      throw new SamlRejected(Reason.STATUS, "status " + code);
    }
  }

  /** The IdP the browser went to, or for an unsolicited response the one named by the issuer. */
  private static Idp idp(Response response, IdpRegistry registry, Expectations expected) {
    String issuer = response.getIssuer() != null ? response.getIssuer().getValue()
        : response.getAssertions().isEmpty() || response.getAssertions().get(0).getIssuer() == null
        ? null : response.getAssertions().get(0).getIssuer().getValue();
    if (expected.idpId() != null) {
      return registry.byId(expected.idpId()).orElseThrow(() ->
          new SamlRejected(Reason.ISSUER, "IdP " + expected.idpId() + " has no metadata loaded"));
    }
    return registry.byEntityId(issuer).orElseThrow(() ->
        new SamlRejected(Reason.ISSUER, "no configured IdP has entity ID " + issuer));
  }

  private static void solicitation(Response response, Idp idp, Expectations expected) {
    String inResponseTo = response.getInResponseTo();
    if (expected.requestId() == null) {
      if (inResponseTo != null) {
        throw new SamlRejected(Reason.IN_RESPONSE_TO, "InResponseTo " + inResponseTo + " but no request is pending");
      }
      if (!idp.config().allowIdpInitiated()) {
        throw new SamlRejected(Reason.UNSOLICITED, "IdP-initiated login is off for " + idp.id());
      }
    } else if (!expected.requestId().equals(inResponseTo)) {
      throw new SamlRejected(Reason.IN_RESPONSE_TO, "InResponseTo " + inResponseTo + " is not the pending request");
    }
  }

  private void destination(Response response, boolean signed) {
    String destination = response.getDestination();
    if (destination == null ? signed : !sp.acsUrl().equals(destination)) {
      throw new SamlRejected(Reason.DESTINATION, "Destination " + destination);
    }
  }

  private Assertion assertion(Response response) {
    int plain = response.getAssertions().size();
    int encrypted = response.getEncryptedAssertions().size();
    if (plain + encrypted != 1) {
      throw new SamlRejected(Reason.ASSERTION_COUNT, (plain + encrypted) + " assertions directly in the response");
    }
    return plain == 1 ? response.getAssertions().get(0)
        : AssertionDecrypter.decrypt(response.getEncryptedAssertions().get(0), sp.credentials());
  }
}
