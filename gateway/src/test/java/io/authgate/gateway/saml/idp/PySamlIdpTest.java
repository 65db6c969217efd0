package io.authgate.gateway.saml.idp;

import static io.authgate.gateway.saml.idp.SamlDom.DS;
import static io.authgate.gateway.saml.idp.SamlDom.SAML;
import static io.authgate.gateway.saml.idp.SamlDom.SAMLP;
import static io.authgate.gateway.saml.idp.SamlDom.XENC;
import static io.authgate.gateway.saml.idp.SamlDom.child;
import static io.authgate.gateway.saml.idp.SamlDom.children;
import static io.authgate.gateway.saml.idp.SamlDom.descendants;
import static io.authgate.gateway.saml.idp.SamlDom.parse;
import static io.authgate.gateway.saml.idp.SamlDom.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Comment;
import org.w3c.dom.Element;

/** Every variant of the pysaml2 test IdP has the shape its name promises, judged by xmlsec1 and a DOM. */
class PySamlIdpTest {
  static final String NAME_ID = "alice@example.com";
  static final String EVIL = "admin@evil.example";
  static final String REQUEST_ID = "_request-4711";
  static final String XML_SCHEMA = "http://www.w3.org/2001/XMLSchema";
  static final List<String> VARIANTS = List.of("valid-signed-assertion", "valid-signed-response", "valid-both-signed",
      "valid-encrypted", "valid-encrypted-cbc", "xsw-evil-before", "xsw-evil-after", "xsw-wrap",
      "xsw-signature-in-extensions", "xsw-response-wrap", "two-assertions", "unsigned", "foreign-key", "other-idp-key",
      "tampered", "comment-injection", "doctype", "xxe", "billion-laughs", "sha1", "rsa15", "bad-transform",
      "bad-transform-xpath", "wrong-issuer", "wrong-audience", "wrong-recipient", "wrong-destination", "expired",
      "not-yet-valid", "status-failure", "logout-request", "logout-response");

  static PySamlIdp idp;
  static TestSp sp;
  static PemKeyPair spKeys;
  static XmlSecCli xmlsec;
  static final Map<String, IdpOutput> OUT = new LinkedHashMap<>();

  @BeforeAll
  static void produceEveryVariantInOneRun() {
    idp = PySamlIdp.create("https://idp.test/metadata");
    spKeys = PemKeyPair.generate(idp.directory(), "sp-encryption");
    sp = TestSp.at("https://sp.test", spKeys.certificate());
    xmlsec = new XmlSecCli(idp.directory());
    List<IdpJob> jobs = VARIANTS.stream().map(variant -> IdpJob.of(variant, NAME_ID)
        .withAttribute("groups", "staff", "ops").withInResponseTo(REQUEST_ID).with("sessionIndex", "_session-1")).toList();
    List<IdpOutput> outputs = idp.produce(sp, jobs);
    for (IdpOutput output : outputs) {
      OUT.put(output.variant(), output);
    }
  }

  @AfterAll
  static void deleteKeys() {
    if (idp != null) {
      idp.close();
    }
  }

  static String xml(String variant) {
    return OUT.get(variant).xml();
  }

  static Element assertion(Element response) {
    return child(response, SAML, "Assertion");
  }

  static boolean verifiesWithIdpKey(String xml) {
    return xmlsec.verifies(xml, idp.signingKeys().certificate(), null);
  }

  @Test
  void aValidSignedAssertionCarriesTheJobAndVerifiesOnlyWithTheIdpKey() {
    IdpOutput output = OUT.get("valid-signed-assertion");
    assertThat(new String(Base64.getDecoder().decode(output.samlResponse()))).isEqualTo(output.xml());
    Element response = parse(output.xml());
    Element assertion = assertion(response);
    assertThat(children(response, DS, "Signature")).isEmpty();
    assertThat(children(assertion, DS, "Signature")).hasSize(1);
    assertThat(response.getAttribute("Destination")).isEqualTo("https://sp.test/saml/acs");
    assertThat(response.getAttribute("InResponseTo")).isEqualTo(REQUEST_ID);
    assertThat(text(assertion, SAML, "Issuer")).isEqualTo("https://idp.test/metadata");
    assertThat(text(assertion, SAML, "NameID")).isEqualTo(NAME_ID);
    assertThat(text(assertion, SAML, "Audience")).isEqualTo("https://sp.test/saml/metadata");
    Element confirmation = descendants(assertion, SAML, "SubjectConfirmationData").get(0);
    assertThat(confirmation.getAttribute("Recipient")).isEqualTo("https://sp.test/saml/acs");
    assertThat(confirmation.getAttribute("InResponseTo")).isEqualTo(REQUEST_ID);
    Element groups = descendants(assertion, SAML, "Attribute").get(0);
    assertThat(groups.getAttribute("Name")).isEqualTo("groups");
    assertThat(descendants(groups, SAML, "AttributeValue")).extracting(Element::getTextContent)
        .containsExactly("staff", "ops");
    assertThat(descendants(groups, SAML, "AttributeValue").get(0).lookupNamespaceURI("xs"))
        .as("the prefix of xsi:type=\"xs:string\" is declared").isEqualTo(XML_SCHEMA);
    assertThat(verifiesWithIdpKey(output.xml())).isTrue();
    assertThat(xmlsec.verifies(output.xml(), idp.otherIdpKeys().certificate(), null)).as("another key").isFalse();
  }

  @Test
  void responseAndBothSignedVariantsSignWhatTheySay() {
    Element response = parse(xml("valid-signed-response"));
    assertThat(children(response, DS, "Signature")).hasSize(1);
    assertThat(children(assertion(response), DS, "Signature")).isEmpty();
    assertThat(xmlsec.verifies(xml("valid-signed-response"), idp.signingKeys().certificate(), response.getAttribute("ID")))
        .isTrue();

    Element both = parse(xml("valid-both-signed"));
    Path cert = idp.signingKeys().certificate();
    assertThat(xmlsec.verifies(xml("valid-both-signed"), cert, both.getAttribute("ID"))).isTrue();
    assertThat(xmlsec.verifies(xml("valid-both-signed"), cert, assertion(both).getAttribute("ID"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
      "valid-encrypted, http://www.w3.org/2009/xmlenc11#aes256-gcm, http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
      "valid-encrypted-cbc, http://www.w3.org/2001/04/xmlenc#aes128-cbc, http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
      "rsa15, http://www.w3.org/2009/xmlenc11#aes256-gcm, http://www.w3.org/2001/04/xmlenc#rsa-1_5"})
  void encryptedVariantsHideASignedAssertionForTheSpKey(String variant, String dataAlgorithm, String keyTransport) {
    Element response = parse(xml(variant));
    assertThat(children(response, SAML, "Assertion")).isEmpty();
    Element encrypted = child(response, SAML, "EncryptedAssertion");
    List<Element> methods = descendants(encrypted, XENC, "EncryptionMethod");
    assertThat(methods).extracting(method -> method.getAttribute("Algorithm")).containsExactly(dataAlgorithm, keyTransport);
    assertThat(xml(variant)).doesNotContain(NAME_ID);

    String plain = xmlsec.decrypt(xml(variant), spKeys.key());
    Element assertion = child(child(parse(plain), SAML, "EncryptedAssertion"), SAML, "Assertion");
    assertThat(text(assertion, SAML, "NameID")).isEqualTo(NAME_ID);
    assertThat(assertion.getAttributeNodeNS("http://www.w3.org/2000/xmlns/", "xs"))
        .as("self-contained once decrypted").isNotNull();
    assertThat(verifiesWithIdpKey(plain)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"xsw-evil-before", "xsw-evil-after"})
  void anUnsignedEvilAssertionSitsBesideTheSignedOne(String variant) {
    List<Element> assertions = children(parse(xml(variant)), SAML, "Assertion");
    assertThat(assertions).hasSize(2);
    Element evil = assertions.get(variant.endsWith("before") ? 0 : 1);
    Element original = assertions.get(variant.endsWith("before") ? 1 : 0);
    assertThat(children(evil, DS, "Signature")).isEmpty();
    assertThat(text(evil, SAML, "NameID")).isEqualTo(EVIL);
    assertThat(text(original, SAML, "NameID")).isEqualTo(NAME_ID);
    assertThat(verifiesWithIdpKey(xml(variant))).as("the original's signature still holds").isTrue();
  }

  @Test
  void xswWrapNestsTheSignedOriginalInsideTheEvilAssertion() {
    Element evil = assertion(parse(xml("xsw-wrap")));
    assertThat(children(evil, DS, "Signature")).isEmpty();
    assertThat(child(child(evil, SAML, "Subject"), SAML, "NameID").getTextContent()).isEqualTo(EVIL);
    Element original = child(evil, SAML, "Assertion");
    assertThat(children(original, DS, "Signature")).hasSize(1);
    assertThat(verifiesWithIdpKey(xml("xsw-wrap"))).isTrue();
  }

  @Test
  void signatureInExtensionsMovesTheOriginalAndLendsItsSignatureToTheEvilAssertion() {
    Element response = parse(xml("xsw-signature-in-extensions"));
    Element original = child(child(response, SAMLP, "Extensions"), SAML, "Assertion");
    Element evil = assertion(response);
    Element signature = child(evil, DS, "Signature");
    assertThat(text(evil, SAML, "NameID")).isEqualTo(EVIL);
    assertThat(SamlDom.attribute(signature, DS, "Reference", "URI")).isEqualTo("#" + original.getAttribute("ID"));
    assertThat(verifiesWithIdpKey(xml("xsw-signature-in-extensions"))).isTrue();
  }

  @Test
  void responseWrapPutsTheSignedOriginalResponseInsideAnEvilOne() {
    Element evil = parse(xml("xsw-response-wrap"));
    Element original = child(evil, SAMLP, "Response");
    assertThat(SamlDom.attribute(child(evil, DS, "Signature"), DS, "Reference", "URI"))
        .isEqualTo("#" + original.getAttribute("ID"));
    assertThat(text(assertion(evil), SAML, "NameID")).isEqualTo(EVIL);
    assertThat(text(assertion(original), SAML, "NameID")).isEqualTo(NAME_ID);
    assertThat(verifiesWithIdpKey(xml("xsw-response-wrap"))).isTrue();
  }

  @Test
  void twoAssertionsAreBothValidlySigned() {
    List<Element> assertions = children(parse(xml("two-assertions")), SAML, "Assertion");
    assertThat(assertions).hasSize(2);
    for (Element assertion : assertions) {
      assertThat(xmlsec.verifies(xml("two-assertions"), idp.signingKeys().certificate(), assertion.getAttribute("ID")))
          .isTrue();
    }
  }

  @Test
  void unsignedHasNoSignatureAnywhere() {
    assertThat(descendants(parse(xml("unsigned")), DS, "Signature")).isEmpty();
  }

  @Test
  void foreignAndOtherIdpKeysSignValidlyButNotWithTheIdpKey() {
    for (var entry : Map.of("foreign-key", idp.foreignKeys(), "other-idp-key", idp.otherIdpKeys()).entrySet()) {
      String xml = xml(entry.getKey());
      assertThat(verifiesWithIdpKey(xml)).as(entry.getKey()).isFalse();
      assertThat(xmlsec.verifies(xml, entry.getValue().certificate(), null)).as(entry.getKey()).isTrue();
      assertThat(text(parse(xml), DS, "X509Certificate")).isEqualTo(entry.getValue().certificateBase64());
    }
  }

  @Test
  void tamperedChangesTheNameIdAfterSigning() {
    assertThat(text(parse(xml("tampered")), SAML, "NameID")).isEqualTo(EVIL);
    assertThat(verifiesWithIdpKey(xml("tampered"))).isFalse();
  }

  @Test
  void commentInjectionSplitsASignedNameIdWithAComment() {
    Element nameId = descendants(parse(xml("comment-injection")), SAML, "NameID").get(0);
    assertThat(nameId.getFirstChild().getNodeValue()).isEqualTo(NAME_ID);
    assertThat(nameId.getFirstChild().getNextSibling()).isInstanceOf(Comment.class);
    assertThat(nameId.getTextContent()).isEqualTo(NAME_ID + ".evil.com");
    assertThat(verifiesWithIdpKey(xml("comment-injection"))).isTrue();
  }

  @Test
  void doctypeVariantsDeclareWhatTheyAttackWith() {
    assertThat(xml("doctype")).contains("<!DOCTYPE").contains("<!ENTITY harmless");
    assertThat(verifiesWithIdpKey(xml("doctype"))).as("only the DOCTYPE is wrong").isTrue();
    assertThat(xml("xxe")).contains("<!ENTITY xxe SYSTEM \"file:///etc/hostname\">").contains(">&xxe;</saml:NameID>");
    assertThat(xml("billion-laughs")).contains("<!ENTITY lol9 \"&lol8;&lol8;").contains(">&lol9;</saml:NameID>");
    assertThatThrownBy(() -> parse(xml("xxe"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sha1AndTransformVariantsUseTheAlgorithmsTheyName() {
    Element sha1 = parse(xml("sha1"));
    assertThat(SamlDom.attribute(sha1, DS, "SignatureMethod", "Algorithm"))
        .isEqualTo("http://www.w3.org/2000/09/xmldsig#rsa-sha1");
    assertThat(SamlDom.attribute(sha1, DS, "DigestMethod", "Algorithm")).isEqualTo("http://www.w3.org/2000/09/xmldsig#sha1");
    assertThat(verifiesWithIdpKey(xml("sha1"))).isTrue();

    assertThat(descendants(parse(xml("bad-transform")), DS, "Transform")).extracting(t -> t.getAttribute("Algorithm"))
        .containsExactly("http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments");
    assertThat(descendants(parse(xml("bad-transform-xpath")), DS, "XPath")).hasSize(1);
    assertThat(verifiesWithIdpKey(xml("bad-transform"))).isTrue();
    assertThat(verifiesWithIdpKey(xml("bad-transform-xpath"))).isTrue();
  }

  @Test
  void wrongValuesAreValidlySigned() {
    Element issuer = parse(xml("wrong-issuer"));
    assertThat(text(assertion(issuer), SAML, "Issuer")).isEqualTo("https://evil.example/saml/idp");
    assertThat(text(parse(xml("wrong-audience")), SAML, "Audience")).isEqualTo("https://evil.example/saml/sp");
    assertThat(SamlDom.attribute(parse(xml("wrong-recipient")), SAML, "SubjectConfirmationData", "Recipient"))
        .isEqualTo("https://evil.example/saml/acs");
    assertThat(parse(xml("wrong-destination")).getAttribute("Destination")).isEqualTo("https://evil.example/saml/acs");
    for (String variant : List.of("wrong-issuer", "wrong-audience", "wrong-recipient", "wrong-destination")) {
      assertThat(verifiesWithIdpKey(xml(variant))).as(variant).isTrue();
    }
  }

  @Test
  void expiredAndNotYetValidAreOutsideAnyReasonableSkew() {
    Instant now = Instant.now();
    Element expired = descendants(parse(xml("expired")), SAML, "Conditions").get(0);
    assertThat(Instant.parse(expired.getAttribute("NotOnOrAfter"))).isBefore(now.minusSeconds(600));
    Element early = descendants(parse(xml("not-yet-valid")), SAML, "Conditions").get(0);
    assertThat(Instant.parse(early.getAttribute("NotBefore"))).isAfter(now.plusSeconds(600));
    assertThat(verifiesWithIdpKey(xml("expired"))).isTrue();
  }

  @Test
  void statusFailureIsASignedResponderErrorWithoutAssertion() {
    Element response = parse(xml("status-failure"));
    assertThat(children(response, SAML, "Assertion")).isEmpty();
    assertThat(descendants(response, SAMLP, "StatusCode")).extracting(code -> code.getAttribute("Value")).containsExactly(
        "urn:oasis:names:tc:SAML:2.0:status:Responder", "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed");
    assertThat(xmlsec.verifies(xml("status-failure"), idp.signingKeys().certificate(), response.getAttribute("ID"))).isTrue();
  }

  @Test
  void logoutRequestIsAnIdpInitiatedRedirectWithAValidQuerySignature() throws Exception {
    IdpOutput output = OUT.get("logout-request");
    assertThat(output.url()).startsWith("https://sp.test/saml/slo?SAMLRequest=");
    assertThat(RedirectBinding.rawParameters(output.query())).containsOnlyKeys("SAMLRequest", "SigAlg", "Signature");
    assertThat(RedirectBinding.signatureVerifies(output.query(), idp.signingKeys().certificate())).isTrue();
    assertThat(RedirectBinding.signatureVerifies(output.query(), idp.otherIdpKeys().certificate())).isFalse();
    Element request = parse(RedirectBinding.message(output.query()));
    assertThat(request.getLocalName()).isEqualTo("LogoutRequest");
    assertThat(request.getAttribute("Destination")).isEqualTo("https://sp.test/saml/slo");
    assertThat(text(request, SAML, "Issuer")).isEqualTo("https://idp.test/metadata");
    assertThat(text(request, SAML, "NameID")).isEqualTo(NAME_ID);
    assertThat(text(request, SAMLP, "SessionIndex")).isEqualTo("_session-1");
  }

  @Test
  void logoutResponseAnswersTheSpsRequest() throws Exception {
    IdpOutput output = OUT.get("logout-response");
    assertThat(RedirectBinding.signatureVerifies(output.query(), idp.signingKeys().certificate())).isTrue();
    Element response = parse(RedirectBinding.message(output.query()));
    assertThat(response.getLocalName()).isEqualTo("LogoutResponse");
    assertThat(response.getAttribute("InResponseTo")).isEqualTo(REQUEST_ID);
    assertThat(SamlDom.attribute(response, SAMLP, "StatusCode", "Value"))
        .isEqualTo("urn:oasis:names:tc:SAML:2.0:status:Success");
  }

  @Test
  void metadataNamesTheSigningCertificateAndRedirectEndpoints() {
    Element descriptor = parse(idp.metadataXml());
    assertThat(descriptor.getAttribute("entityID")).isEqualTo("https://idp.test/metadata");
    Element idpDescriptor = child(descriptor, SamlDom.MD, "IDPSSODescriptor");
    Element key = child(idpDescriptor, SamlDom.MD, "KeyDescriptor");
    assertThat(key.getAttribute("use")).isEqualTo("signing");
    assertThat(text(key, DS, "X509Certificate").replaceAll("\\s", "")).isEqualTo(idp.signingKeys().certificateBase64());
    Element sso = child(idpDescriptor, SamlDom.MD, "SingleSignOnService");
    assertThat(sso.getAttribute("Binding")).isEqualTo("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect");
    assertThat(sso.getAttribute("Location")).isEqualTo("https://idp.test/metadata/sso");
    assertThat(child(idpDescriptor, SamlDom.MD, "SingleLogoutService").getAttribute("Location"))
        .isEqualTo("https://idp.test/metadata/slo");
  }

  @Test
  void aMissingInterpreterFailsWithTheInstallHint() {
    String before = System.getProperty(PySamlIdp.PYTHON_PROPERTY);
    System.setProperty(PySamlIdp.PYTHON_PROPERTY, "/nonexistent/python3");
    try {
      assertThatThrownBy(() -> PySamlIdp.create("https://idp.test/metadata"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("apt-get install python3-pysaml2 xmlsec1");
    } finally {
      if (before == null) {
        System.clearProperty(PySamlIdp.PYTHON_PROPERTY);
      } else {
        System.setProperty(PySamlIdp.PYTHON_PROPERTY, before);
      }
    }
  }

  @Test
  void fixedIdsAreTheOnesSigned() {
    String xml = idp.produce(sp, IdpJob.of("valid-both-signed", NAME_ID).with("assertionId", "_fixed-assertion")
        .with("responseId", "_fixed-response")).xml();
    Element response = parse(xml);
    assertThat(response.getAttribute("ID")).isEqualTo("_fixed-response");
    assertThat(assertion(response).getAttribute("ID")).isEqualTo("_fixed-assertion");
    assertThat(xmlsec.verifies(xml, idp.signingKeys().certificate(), "_fixed-response")).isTrue();
    assertThat(xmlsec.verifies(xml, idp.signingKeys().certificate(), "_fixed-assertion")).isTrue();
  }

  @Test
  void aBatchSplitOverProcessesKeepsTheJobsOrder() {
    List<IdpJob> jobs = IntStream.range(0, 5)
        .mapToObj(i -> IdpJob.of("unsigned", "user" + i + "@example.com")).toList();
    List<IdpOutput> outputs = idp.produce(sp, jobs, 2);
    assertThat(outputs).extracting(output -> text(parse(output.xml()), SAML, "NameID"))
        .containsExactly("user0@example.com", "user1@example.com", "user2@example.com", "user3@example.com",
            "user4@example.com");
  }

  @Test
  void anUnknownVariantFailsWithPythonsReason() {
    assertThatThrownBy(() -> idp.produce(sp, IdpJob.of("no-such-variant", NAME_ID)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown variant 'no-such-variant'");
  }
}
