package io.authgate.gateway.saml;

import static io.authgate.gateway.saml.IdpFixture.dom;
import static io.authgate.gateway.saml.IdpFixture.post;
import static io.authgate.gateway.saml.ResponseValidatorTest.REQUEST;
import static io.authgate.gateway.saml.ResponseValidatorTest.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.gateway.saml.SamlRejected.Reason;
import org.apache.xml.security.Init;
import org.junit.jupiter.api.Test;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.xmlsec.encryption.support.EncryptionConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Encrypted assertions (RSA-OAEP with AES-GCM or AES-CBC), which with the signed-assertion tests
 * prove that sign, verify and decrypt work on the Santuario and BouncyCastle versions we ship.
 */
class EncryptedAssertionTest {
  private final IdpFixture idp = IdpFixture.main();
  private final ServiceProvider sp = IdpFixture.sp();
  private final ResponseValidator validator = new ResponseValidator(sp);

  private ValidatedAssertion accept(String posted) {
    return validator.validate(posted, idp.registry(false), Expectations.solicited("main", REQUEST));
  }

  /** @return a response whose assertion is signed, then encrypted for {@code recipient} */
  private Response signedThenEncrypted(String nameId, org.opensaml.security.x509.BasicX509Credential recipient,
                                       String dataAlgorithm) {
    Response r = idp.response(sp, REQUEST, nameId);
    Assertion a = r.getAssertions().get(0);
    var s = IdpFixture.attachSignature(a, idp.key, SamlConstants.RSA_SHA256, false);
    IdpFixture.marshalAndSign(a, s);
    IdpFixture.encryptAssertion(r, a, recipient, dataAlgorithm);
    return r;
  }

  @Test
  void theShippedSantuarioIsTheCurrentLine() {
    assertThat(Init.class.getProtectionDomain().getCodeSource().getLocation().toString()).contains("xmlsec-4.0.");
    assertThat(org.bouncycastle.jce.provider.BouncyCastleProvider.class.getProtectionDomain().getCodeSource()
        .getLocation().toString()).contains("bcprov-jdk18on");
  }

  @Test
  void aSignedAssertionEncryptedWithAesGcmIsDecryptedAndVerified() {
    Response r = signedThenEncrypted("alice@example.com", sp.credentials().encryption(),
        EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM);
    String posted = post(SamlXml.marshal(r));
    assertThat(new String(java.util.Base64.getDecoder().decode(posted))).doesNotContain("alice@example.com");
    ValidatedAssertion a = accept(posted);
    assertThat(a.nameId()).isEqualTo("alice@example.com");
    assertThat(a.attributes().get("groups")).containsExactly("admins", "staff");
  }

  @Test
  void anUnsignedEncryptedAssertionInASignedResponseWithAesCbcIsAccepted() {
    Response r = idp.response(sp, REQUEST, "bob@example.com");
    IdpFixture.encryptAssertion(r, r.getAssertions().get(0), sp.credentials().encryption(),
        EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128);
    assertThat(accept(post(idp.signedResponse(r))).nameId()).isEqualTo("bob@example.com");
  }

  @Test
  void anUnsignedEncryptedAssertionInAnUnsignedResponseIsRefused() {
    Response r = idp.response(sp, REQUEST, "bob@example.com");
    IdpFixture.encryptAssertion(r, r.getAssertions().get(0), sp.credentials().encryption(),
        EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM);
    assertThat(rejection(() -> accept(post(SamlXml.marshal(r))))).isEqualTo(Reason.SIGNATURE);
  }

  @Test
  void anAssertionEncryptedForAnotherKeyIsRefused() {
    Response r = signedThenEncrypted("alice@example.com", SpCredentials.generateCredential("CN=someone else"),
        EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM);
    assertThat(rejection(() -> accept(post(SamlXml.marshal(r))))).isEqualTo(Reason.DECRYPTION);
  }

  @Test
  void rsa15KeyTransportIsRefused() {
    Response r = signedThenEncrypted("alice@example.com", sp.credentials().encryption(),
        EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM);
    Document d = dom(SamlXml.serialize(SamlXml.marshal(r)));
    Element key = (Element) d.getElementsByTagNameNS(XmlGuards.XENC_NS, "EncryptedKey").item(0);
    ((Element) key.getElementsByTagNameNS(XmlGuards.XENC_NS, "EncryptionMethod").item(0))
        .setAttribute("Algorithm", EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSA15);
    assertThat(rejection(() -> accept(post(SamlXml.serialize(d.getDocumentElement()))))).isEqualTo(Reason.ALGORITHM);
  }

  @Test
  void anEncryptedAssertionBesideAPlainOneIsRefused() {
    Response r = signedThenEncrypted("alice@example.com", sp.credentials().encryption(),
        EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM);
    Response plain = idp.response(sp, REQUEST, "admin@example.com");
    Document d = dom(SamlXml.serialize(SamlXml.marshal(r)));
    Document p = dom(SamlXml.serialize(SamlXml.marshal(plain)));
    d.getDocumentElement().appendChild(d.importNode(IdpFixture.first(p, IdpFixture.SAML, "Assertion"), true));
    assertThat(rejection(() -> accept(post(SamlXml.serialize(d.getDocumentElement())))))
        .isEqualTo(Reason.ASSERTION_COUNT);
  }
}
