package io.authgate.gateway.saml;

import static io.authgate.gateway.saml.IdpFixture.DS;
import static io.authgate.gateway.saml.IdpFixture.SAML;
import static io.authgate.gateway.saml.IdpFixture.SAMLP;
import static io.authgate.gateway.saml.IdpFixture.dom;
import static io.authgate.gateway.saml.IdpFixture.first;
import static io.authgate.gateway.saml.IdpFixture.post;
import static io.authgate.gateway.saml.ResponseValidatorTest.REQUEST;
import static io.authgate.gateway.saml.ResponseValidatorTest.rejection;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.gateway.saml.SamlRejected.Reason;
import org.junit.jupiter.api.Test;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Signature wrapping, untrusted keys, tampering, refused algorithms and hostile XML. */
class SignatureWrappingTest {
  private final IdpFixture idp = IdpFixture.main();
  private final ServiceProvider sp = IdpFixture.sp();
  private final ResponseValidator validator = new ResponseValidator(sp);

  private Reason refuse(String posted) {
    return rejection(() -> validator.validate(posted, idp.registry(false, IdpFixture.other()),
        io.authgate.gateway.saml.Expectations.solicited("main", REQUEST)));
  }

  private Reason refuse(Document d) {
    return refuse(post(SamlXml.serialize(d.getDocumentElement())));
  }

  /** @return a response whose assertion is signed by the IdP, as a plain DOM to tamper with */
  private Document signedAssertion(String nameId) {
    return dom(SamlXml.serialize(idp.signedAssertion(idp.response(sp, REQUEST, nameId))));
  }

  /** @return an unsigned evil copy of the document's assertion, with a new ID and NameID */
  private static Element evilCopy(Document d) {
    Element evil = (Element) first(d, SAML, "Assertion").cloneNode(true);
    Element sig = first(evil, DS, "Signature");
    sig.getParentNode().removeChild(sig);
    evil.setAttribute("ID", "_evil");
    first(evil, SAML, "NameID").setTextContent("admin@example.com");
    return evil;
  }

  @Test
  void anEvilAssertionBesideOrBeforeTheSignedOneIsRefused() {
    Document after = signedAssertion("alice@example.com");
    after.getDocumentElement().appendChild(evilCopy(after));
    assertThat(refuse(after)).isEqualTo(Reason.ASSERTION_COUNT);
    Document before = signedAssertion("alice@example.com");
    Element signed = first(before, SAML, "Assertion");
    before.getDocumentElement().insertBefore(evilCopy(before), signed);
    assertThat(refuse(before)).isEqualTo(Reason.ASSERTION_COUNT);
  }

  @Test
  void anEvilAssertionWrappingTheSignedOneIsRefused() {
    Document d = signedAssertion("alice@example.com");
    Element signed = first(d, SAML, "Assertion");
    Element evil = evilCopy(d);
    Element advice = d.createElementNS(SAML, "saml2:Advice");
    advice.appendChild(signed.cloneNode(true));
    evil.insertBefore(advice, first(evil, SAML, "Subject"));
    d.getDocumentElement().replaceChild(evil, signed);
    assertThat(refuse(d)).isEqualTo(Reason.ASSERTION_COUNT);
  }

  @Test
  void theSignedAssertionHiddenInExtensionsOrTheSignatureObjectIsRefused() {
    Document d = signedAssertion("alice@example.com");
    Element signed = first(d, SAML, "Assertion");
    Element ext = d.createElementNS(SAMLP, "saml2p:Extensions");
    ext.appendChild(signed.cloneNode(true));
    d.getDocumentElement().insertBefore(ext, first(d, SAMLP, "Status"));
    d.getDocumentElement().replaceChild(evilCopy(d), signed);
    assertThat(refuse(d)).isEqualTo(Reason.ASSERTION_COUNT);

    Response r = idp.response(sp, REQUEST, "alice@example.com");
    Document whole = dom(SamlXml.serialize(idp.signedResponse(r)));
    Element original = first(whole, SAML, "Assertion");
    Element object = whole.createElementNS(DS, "ds:Object");
    object.appendChild(original.cloneNode(true));
    first(whole, DS, "Signature").appendChild(object);
    Element evil = (Element) original.cloneNode(true);
    first(evil, SAML, "NameID").setTextContent("admin@example.com");
    whole.getDocumentElement().replaceChild(evil, original);
    assertThat(refuse(whole)).isIn(Reason.ASSERTION_COUNT, Reason.SIGNATURE);
  }

  @Test
  void aSignatureMovedIntoExtensionsIsRefused() {
    Response r = idp.response(sp, REQUEST, "alice@example.com");
    Document d = dom(SamlXml.serialize(idp.signedResponse(r)));
    Element sig = first(d, DS, "Signature");
    Element ext = d.createElementNS(SAMLP, "saml2p:Extensions");
    sig.getParentNode().removeChild(sig);
    ext.appendChild(sig);
    d.getDocumentElement().insertBefore(ext, first(d, SAMLP, "Status"));
    assertThat(refuse(d)).isEqualTo(Reason.SIGNATURE);
  }

  @Test
  void duplicateIdsAndReferencesToAnotherElementAreRefused() {
    Document d = signedAssertion("alice@example.com");
    Element ext = d.createElementNS(SAMLP, "saml2p:Extensions");
    Element decoy = d.createElementNS("urn:decoy", "x:Decoy");
    decoy.setAttribute("ID", first(d, SAML, "Assertion").getAttribute("ID"));
    ext.appendChild(decoy);
    d.getDocumentElement().insertBefore(ext, first(d, SAMLP, "Status"));
    assertThat(refuse(d)).isEqualTo(Reason.SIGNATURE);

    Document pointed = signedAssertion("alice@example.com");
    Element reference = first(pointed, DS, "Reference");
    reference.setAttribute("URI", "#" + pointed.getDocumentElement().getAttribute("ID"));
    assertThat(refuse(pointed)).isEqualTo(Reason.SIGNATURE);
  }

  @Test
  void tamperedSignedContentIsRefused() {
    Document d = signedAssertion("alice@example.com");
    first(d, SAML, "NameID").setTextContent("admin@example.com");
    assertThat(refuse(d)).isEqualTo(Reason.SIGNATURE);
    Document attr = signedAssertion("alice@example.com");
    first(attr, SAML, "AttributeValue").setTextContent("admin@example.com");
    assertThat(refuse(attr)).isEqualTo(Reason.SIGNATURE);
  }

  @Test
  void aKeyNotInTheIdpsMetadataIsRefusedEvenWithItsCertificateInKeyInfo() {
    var stranger = SpCredentials.generateCredential("CN=stranger");
    Response r = idp.response(sp, REQUEST, "alice@example.com");
    var s = IdpFixture.attachSignature(r.getAssertions().get(0), stranger, SamlConstants.RSA_SHA256, true);
    String posted = post(IdpFixture.marshalAndSign(r, s));
    assertThat(SamlXml.serialize(SamlXml.parse(java.util.Base64.getDecoder().decode(posted)).getDocumentElement()))
        .contains("X509Certificate");
    assertThat(refuse(posted)).isEqualTo(Reason.SIGNATURE);
  }

  @Test
  void anotherIdpsKeyIsRefused() {
    Response r = idp.response(sp, REQUEST, "alice@example.com");
    var s = IdpFixture.attachSignature(r.getAssertions().get(0), IdpFixture.other().key, SamlConstants.RSA_SHA256, false);
    assertThat(refuse(post(IdpFixture.marshalAndSign(r, s)))).isEqualTo(Reason.SIGNATURE);
  }

  @Test
  void sha1SignaturesAndDigestsAreRefused() {
    Response r = idp.response(sp, REQUEST, "alice@example.com");
    var s = IdpFixture.attachSignature(r.getAssertions().get(0), idp.key, SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA1, false);
    assertThat(refuse(post(IdpFixture.marshalAndSign(r, s)))).isEqualTo(Reason.ALGORITHM);

    Response d = idp.response(sp, REQUEST, "alice@example.com");
    var sd = IdpFixture.attachSignature(d.getAssertions().get(0), idp.key, SamlConstants.RSA_SHA256, false);
    ((org.opensaml.saml.common.SAMLObjectContentReference) sd.getContentReferences().get(0))
        .setDigestAlgorithm(SignatureConstants.ALGO_ID_DIGEST_SHA1);
    assertThat(refuse(post(IdpFixture.marshalAndSign(d, sd)))).isEqualTo(Reason.ALGORITHM);
  }

  @Test
  void transformsOtherThanEnvelopedAndExclusiveC14nAreRefused() {
    for (String transform : new String[] {SignatureConstants.TRANSFORM_C14N_EXCL_WITH_COMMENTS,
        SignatureConstants.TRANSFORM_C14N_OMIT_COMMENTS, "http://www.w3.org/TR/1999/REC-xpath-19991116"}) {
      Document d = signedAssertion("alice@example.com");
      Element transforms = first(d, DS, "Transforms");
      Element extra = d.createElementNS(DS, "ds:Transform");
      extra.setAttribute("Algorithm", transform);
      transforms.appendChild(extra);
      assertThat(refuse(d)).as(transform).isEqualTo(Reason.ALGORITHM);
    }
    Response c = idp.response(sp, REQUEST, "alice@example.com");
    var sc = IdpFixture.attachSignature(c.getAssertions().get(0), idp.key, SamlConstants.RSA_SHA256, false);
    sc.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_WITH_COMMENTS);
    assertThat(refuse(post(IdpFixture.marshalAndSign(c, sc)))).isEqualTo(Reason.ALGORITHM);
  }

  @Test
  void doctypesExternalEntitiesAndEntityExpansionAreRefused() {
    String signed = SamlXml.serialize(idp.signedAssertion(idp.response(sp, REQUEST, "alice@example.com")));
    String xxe = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + signed.replace(">alice@example.com<", ">&x;<");
    assertThat(refuse(post(xxe))).isEqualTo(Reason.MALFORMED);
    String lol = "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
        + signed.replace(">alice@example.com<", ">&b;<");
    assertThat(refuse(post(lol))).isEqualTo(Reason.MALFORMED);
    String plainDoctype = "<!DOCTYPE Response>" + signed;
    assertThat(refuse(post(plainDoctype))).isEqualTo(Reason.MALFORMED);
  }
}
