package io.authgate.gateway.saml;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.security.cert.X509Certificate;
import java.util.List;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.security.impl.SAMLSignatureProfileValidator;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.SignatureValidator;
import org.w3c.dom.Element;

/**
 * Verifies the enveloped signature of one SAML object with keys from the IdP's metadata only;
 * certificates in the message's KeyInfo are never looked at. Stateless and thread-safe; blocking.
 */
final class SignatureCheck {
  private SignatureCheck() {}

  /**
   * @param object a signed Response, Assertion or logout message, unmarshalled from the received DOM
   * @param trusted the IdP's metadata signing certificates
   * @throws SamlRejected SIGNATURE or ALGORITHM when the signature is misplaced, off-profile, or
   *     does not verify with any trusted key
   */
  static void verify(SignableSAMLObject object, List<X509Certificate> trusted) {
    Signature signature = object.getSignature();
    if (signature == null || signature.getDOM() == null) {
      throw new SamlRejected(Reason.SIGNATURE, object.getElementQName().getLocalPart() + " is not signed");
    }
    Element sig = signature.getDOM();
    if (sig.getParentNode() != object.getDOM()) {
      throw new SamlRejected(Reason.SIGNATURE, "the signature is not a child of the signed element");
    }
    XmlGuards.signatureAlgorithms(sig);
    try {
      new SAMLSignatureProfileValidator().validate(signature);
    } catch (SignatureException e) {
      throw new SamlRejected(Reason.SIGNATURE, "off-profile signature: " + e.getMessage());
    }
    for (X509Certificate cert : trusted) {
      try {
        SignatureValidator.validate(signature, new BasicX509Credential(cert));
        return;
      } catch (SignatureException e) {
        // not this key: try the next
      }
    }
    throw new SamlRejected(Reason.SIGNATURE, object.getElementQName().getLocalPart()
        + " signature does not verify with the IdP's metadata keys");
  }
}
