package io.authgate.gateway.saml;

import static io.authgate.gateway.saml.IdpFixture.SAML;
import static io.authgate.gateway.saml.IdpFixture.first;
import static io.authgate.gateway.saml.IdpFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.StatusCode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The valid path and the content checks: issuer, audience, destination, recipient, time, status, InResponseTo. */
class ResponseValidatorTest {
  static final String REQUEST = "_0123456789abcdef0123456789abcdef";
  private final IdpFixture idp = IdpFixture.main();
  private final ServiceProvider sp = IdpFixture.sp();
  private final ResponseValidator validator = new ResponseValidator(sp);

  static Reason rejection(Runnable validation) {
    try {
      validation.run();
    } catch (SamlRejected e) {
      return e.reason();
    }
    throw new AssertionError("the response was accepted");
  }

  private ValidatedAssertion accept(String posted) {
    return validator.validate(posted, idp.registry(false), Expectations.solicited("main", REQUEST));
  }

  private Reason refuse(String posted) {
    return rejection(() -> accept(posted));
  }

  /** @return a response with a signed assertion, changed by {@code change} before signing */
  private String signedAssertion(Consumer<Response> change) {
    Response r = idp.response(sp, REQUEST, "alice@example.com");
    change.accept(r);
    return post(idp.signedAssertion(r));
  }

  @Test
  void aSignedAssertionIsAcceptedWithItsFacts() {
    ValidatedAssertion a = accept(signedAssertion(r -> {}));
    assertThat(a.idpId()).isEqualTo("main");
    assertThat(a.issuer()).isEqualTo(idp.entityId);
    assertThat(a.nameId()).isEqualTo("alice@example.com");
    assertThat(a.nameIdFormat()).isEqualTo("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
    assertThat(a.sessionIndex()).isEqualTo("_session-1");
    assertThat(a.assertionId()).startsWith("_").hasSize(33);
    assertThat(a.inResponseTo()).isEqualTo(REQUEST);
    assertThat(a.notOnOrAfter()).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
    assertThat(a.attributes()).containsEntry("email", List.of("alice@example.com"))
        .containsEntry("groups", List.of("admins", "staff"));
  }

  @Test
  void aSignedResponseCoversItsUnsignedAssertion() {
    Response r = idp.response(sp, REQUEST, "bob@example.com");
    assertThat(accept(post(idp.signedResponse(r))).nameId()).isEqualTo("bob@example.com");
  }

  @Test
  void bothSignedIsAccepted() {
    Response r = idp.response(sp, REQUEST, "carol@example.com");
    var inner = IdpFixture.attachSignature(r.getAssertions().get(0), idp.key,
        SamlConstants.RSA_SHA256, false);
    var outer = IdpFixture.attachSignature(r, idp.key, SamlConstants.RSA_SHA256, false);
    assertThat(accept(post(IdpFixture.marshalAndSign(r, inner, outer))).nameId()).isEqualTo("carol@example.com");
  }

  @Test
  void aCommentInTheNameIdDoesNotCutItShort() {
    String xml = SamlXml.serialize(idp.signedAssertion(idp.response(sp, REQUEST, "victim@x.com.evil.com")));
    String injected = xml.replace(">victim@x.com.evil.com<", ">victim@x.com<!---->.evil.com<");
    assertThat(injected).isNotEqualTo(xml);
    assertThat(accept(post(injected)).nameId()).isEqualTo("victim@x.com.evil.com");
  }

  @Test
  void duringKeyRolloverEitherMetadataKeyVerifies() throws Exception {
    var next = SpCredentials.generateCredential("CN=next idp key");
    String nextCert = java.util.Base64.getEncoder().encodeToString(next.getEntityCertificate().getEncoded());
    String twoKeys = idp.metadataXml().replace("</ds:X509Data>",
        "</ds:X509Data><ds:X509Data><ds:X509Certificate>" + nextCert + "</ds:X509Certificate></ds:X509Data>");
    IdpRegistry registry = new IdpRegistry();
    registry.put(IdpFixture.config("main", false), IdpMetadataParser.parse(twoKeys));
    Response r = idp.response(sp, REQUEST, "frank@example.com");
    var s = IdpFixture.attachSignature(r.getAssertions().get(0), next, SamlConstants.RSA_SHA256, false);
    String posted = post(IdpFixture.marshalAndSign(r, s));
    assertThat(validator.validate(posted, registry, Expectations.solicited("main", REQUEST)).nameId())
        .isEqualTo("frank@example.com");
    assertThat(refuse(posted)).as("not in the single-key metadata").isEqualTo(Reason.SIGNATURE);
  }

  @Test
  void anUnsignedResponseWithAnUnsignedAssertionIsRefused() {
    Response r = idp.response(sp, REQUEST, "alice@example.com");
    assertThat(refuse(post(SamlXml.marshal(r)))).isEqualTo(Reason.SIGNATURE);
  }

  @Test
  void aWrongIssuerIsRefused() {
    assertThat(refuse(signedAssertion(r -> r.getAssertions().get(0).getIssuer().setValue("https://evil.test"))))
        .isEqualTo(Reason.ISSUER);
    assertThat(refuse(signedAssertion(r -> r.getIssuer().setValue("https://evil.test")))).isEqualTo(Reason.ISSUER);
  }

  @Test
  void aWrongAudienceIsRefused() {
    assertThat(refuse(signedAssertion(r -> r.getAssertions().get(0).getConditions().getAudienceRestrictions()
        .get(0).getAudiences().get(0).setURI("https://other-sp.test")))).isEqualTo(Reason.AUDIENCE);
    assertThat(refuse(signedAssertion(r -> r.getAssertions().get(0).getConditions().getAudienceRestrictions()
        .clear()))).isEqualTo(Reason.AUDIENCE);
  }

  @Test
  void aWrongDestinationIsRefused() {
    assertThat(refuse(signedAssertion(r -> r.setDestination("https://other.test/saml/acs"))))
        .isEqualTo(Reason.DESTINATION);
    Response r = idp.response(sp, REQUEST, "alice@example.com");
    r.setDestination(null);
    assertThat(refuse(post(idp.signedResponse(r)))).as("a signed response must name its destination")
        .isEqualTo(Reason.DESTINATION);
  }

  @Test
  void aWrongRecipientOrNoBearerIsRefused() {
    assertThat(refuse(signedAssertion(r -> subjectData(r).setRecipient("https://other.test/saml/acs"))))
        .isEqualTo(Reason.RECIPIENT);
    assertThat(refuse(signedAssertion(r -> r.getAssertions().get(0).getSubject().getSubjectConfirmations().get(0)
        .setMethod("urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")))).isEqualTo(Reason.RECIPIENT);
  }

  @Test
  void timesOutsideTheWindowAreRefusedAndSkewIsTolerated() {
    Instant now = Instant.now();
    assertThat(refuse(signedAssertion(r -> r.getAssertions().get(0).getConditions()
        .setNotOnOrAfter(now.minus(Duration.ofSeconds(61)))))).isEqualTo(Reason.TIME);
    assertThat(refuse(signedAssertion(r -> r.getAssertions().get(0).getConditions()
        .setNotBefore(now.plus(Duration.ofMinutes(2)))))).isEqualTo(Reason.TIME);
    assertThat(refuse(signedAssertion(r -> subjectData(r).setNotOnOrAfter(now.minus(Duration.ofMinutes(2))))))
        .isEqualTo(Reason.TIME);
    assertThat(refuse(signedAssertion(r -> subjectData(r).setNotOnOrAfter(null)))).isEqualTo(Reason.TIME);
    assertThat(refuse(signedAssertion(r -> r.setIssueInstant(now.plus(Duration.ofMinutes(3)))))).isEqualTo(Reason.TIME);
    ValidatedAssertion skewed = accept(signedAssertion(r -> r.getAssertions().get(0).getConditions()
        .setNotBefore(now.plus(Duration.ofSeconds(30)))));
    assertThat(skewed.nameId()).isEqualTo("alice@example.com");
    ValidatedAssertion late = accept(signedAssertion(r -> r.getAssertions().get(0).getConditions()
        .setNotOnOrAfter(now.minus(Duration.ofSeconds(20)))));
    assertThat(late.notOnOrAfter()).isBefore(now.plus(Duration.ofMinutes(1)));
  }

  @Test
  void aNonSuccessStatusIsRefused() {
    assertThat(refuse(signedAssertion(r -> r.getStatus().getStatusCode().setValue(StatusCode.RESPONDER))))
        .isEqualTo(Reason.STATUS);
  }

  @Test
  void inResponseToMustBeThePendingRequest() {
    assertThat(refuse(signedAssertion(r -> r.setInResponseTo("_another")))).isEqualTo(Reason.IN_RESPONSE_TO);
    assertThat(refuse(signedAssertion(r -> subjectData(r).setInResponseTo("_another"))))
        .isEqualTo(Reason.IN_RESPONSE_TO);
    assertThat(refuse(signedAssertion(r -> subjectData(r).setInResponseTo(null))))
        .as("an unsolicited assertion wrapped in a response naming the pending request")
        .isEqualTo(Reason.IN_RESPONSE_TO);
    String solicited = signedAssertion(r -> {});
    assertThat(rejection(() -> validator.validate(solicited, idp.registry(true), Expectations.unsolicited())))
        .as("an InResponseTo when nothing is pending").isEqualTo(Reason.IN_RESPONSE_TO);
  }

  @Test
  void unsolicitedResponsesNeedIdpInitiatedLogin() {
    Response r = idp.response(sp, null, "dave@example.com");
    String posted = post(idp.signedAssertion(r));
    assertThat(rejection(() -> validator.validate(posted, idp.registry(false), Expectations.unsolicited())))
        .isEqualTo(Reason.UNSOLICITED);
    ValidatedAssertion a = validator.validate(posted, idp.registry(true), Expectations.unsolicited());
    assertThat(a.nameId()).isEqualTo("dave@example.com");
    assertThat(a.inResponseTo()).isNull();
  }

  @Test
  void anUnknownIssuerOrAnotherIdpsExpectationIsRefused() {
    IdpFixture other = IdpFixture.other();
    String posted = post(other.signedAssertion(other.response(sp, null, "eve@example.com")));
    assertThat(rejection(() -> validator.validate(posted, idp.registry(true), Expectations.unsolicited())))
        .isEqualTo(Reason.ISSUER);
    String toOther = post(other.signedAssertion(other.response(sp, REQUEST, "eve@example.com")));
    assertThat(refuse(toOther)).as("the browser went to main, the answer comes from other").isEqualTo(Reason.ISSUER);
  }

  @Test
  void oversizedOrNonBase64OrNonXmlIsMalformed() {
    assertThat(refuse("A".repeat(256 * 1024 + 4))).isEqualTo(Reason.MALFORMED);
    assertThat(refuse("not base64 !!")).isEqualTo(Reason.MALFORMED);
    assertThat(refuse(post("<samlp:Response"))).isEqualTo(Reason.MALFORMED);
    assertThat(refuse(post("<x:Response xmlns:x='urn:x'/>"))).isEqualTo(Reason.MALFORMED);
    assertThat(refuse("")).isEqualTo(Reason.MALFORMED);
  }

  static org.opensaml.saml.saml2.core.SubjectConfirmationData subjectData(Response r) {
    Assertion a = r.getAssertions().get(0);
    return a.getSubject().getSubjectConfirmations().get(0).getSubjectConfirmationData();
  }

  static Element assertionIn(Document d) {
    return first(d, SAML, "Assertion");
  }
}
