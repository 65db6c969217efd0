package io.authgate.gateway.saml;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.util.List;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.encryption.Decrypter;
import org.opensaml.saml.saml2.encryption.EncryptedElementTypeEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.ChainingEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.DecryptionException;
import org.opensaml.xmlsec.encryption.support.InlineEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.SimpleRetrievalMethodEncryptedKeyResolver;
import org.opensaml.xmlsec.keyinfo.impl.StaticKeyInfoCredentialResolver;

/**
 * Decrypts an EncryptedAssertion with the SP's encryption key, after checking its algorithms
 * (RSA-OAEP key transport, AES-CBC or AES-GCM data). The decrypted assertion lives in a new
 * document and gets the same structural checks as a received one. Stateless, thread-safe, blocking.
 */
final class AssertionDecrypter {
  private AssertionDecrypter() {}

  /**
   * @param encrypted the encrypted assertion, unmarshalled from the received DOM
   * @param credentials the SP keys
   * @return the decrypted assertion, its DOM the root of its own document
   * @throws SamlRejected ALGORITHM for a refused algorithm, DECRYPTION when it cannot be decrypted
   */
  static Assertion decrypt(EncryptedAssertion encrypted, SpCredentials credentials) {
    XmlGuards.encryptionAlgorithms(encrypted.getDOM());
    Decrypter decrypter = new Decrypter(null, new StaticKeyInfoCredentialResolver(credentials.encryption()),
        new ChainingEncryptedKeyResolver(List.of(new InlineEncryptedKeyResolver(),
            new EncryptedElementTypeEncryptedKeyResolver(), new SimpleRetrievalMethodEncryptedKeyResolver())));
    decrypter.setRootInNewDocument(true);
    Assertion assertion;
    try {
      assertion = decrypter.decrypt(encrypted);
    } catch (DecryptionException | RuntimeException e) {
      throw new SamlRejected(Reason.DECRYPTION, "cannot decrypt the assertion: " + e.getMessage());
    }
    if (assertion.getDOM() == null) {
      throw new SamlRejected(Reason.DECRYPTION, "decrypted assertion has no DOM");
    }
    XmlGuards.exactlyOneAssertion(assertion.getDOM().getOwnerDocument());
    XmlGuards.uniqueIds(assertion.getDOM().getOwnerDocument());
    XmlGuards.signaturesInPlace(assertion.getDOM().getOwnerDocument());
    return assertion;
  }
}
