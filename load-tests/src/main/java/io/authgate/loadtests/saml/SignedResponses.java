package io.authgate.loadtests.saml;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.xml.namespace.QName;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.MarshallingException;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AttributeValue;
import org.opensaml.saml.saml2.core.Audience;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnContext;
import org.opensaml.saml.saml2.core.AuthnContextClassRef;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.Signer;
import org.w3c.dom.Element;

/**
 * Makes what a browser posts to the ACS after an IdP-initiated sign-in: a SAML 2.0 Response
 * (unsolicited: no InResponseTo) whose single assertion is signed by the IdP (enveloped signature,
 * exclusive c14n, RSA-SHA256 with SHA-256 digests), base64-encoded. Every call gives fresh Response
 * and Assertion IDs and IssueInstant now. One instance per thread: not thread-safe (it keeps a
 * serializer); OpenSAML must be initialized first.
 */
final class SignedResponses {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
  private static final String PASSWORD_PROTECTED =
      "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";

  private final BasicX509Credential idpKey;
  private final String idpEntityId;
  private final String spEntityId;
  private final String acsUrl;
  private final Duration validity;
  private final Transformer serializer;

  /**
   * @param idpKey the IdP's signing credential (the one its metadata names)
   * @param idpEntityId the Issuer
   * @param spEntityId the Audience
   * @param acsUrl the Destination and the bearer confirmation's Recipient
   * @param validity how long after now each assertion stays valid (Conditions and confirmation)
   */
  SignedResponses(BasicX509Credential idpKey, String idpEntityId, String spEntityId, String acsUrl,
                  Duration validity) {
    this.idpKey = idpKey;
    this.idpEntityId = idpEntityId;
    this.spEntityId = spEntityId;
    this.acsUrl = acsUrl;
    this.validity = validity;
    try {
      serializer = TransformerFactory.newInstance().newTransformer();
    } catch (TransformerException e) {
      throw new IllegalStateException(e);
    }
    serializer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
  }

  /**
   * @param email the user's NameID (email format) and {@code email} attribute
   * @param displayName the {@code displayName} attribute
   * @return the signed response, serialized and base64-encoded: a {@code SAMLResponse} form value
   */
  String next(String email, String displayName) {
    Instant now = Instant.now();
    Response response = build(Response.DEFAULT_ELEMENT_NAME);
    response.setID(newId());
    response.setVersion(SAMLVersion.VERSION_20);
    response.setIssueInstant(now);
    response.setDestination(acsUrl);
    response.setIssuer(issuer());
    Status status = build(Status.DEFAULT_ELEMENT_NAME);
    StatusCode code = build(StatusCode.DEFAULT_ELEMENT_NAME);
    code.setValue(StatusCode.SUCCESS);
    status.setStatusCode(code);
    response.setStatus(status);
    Assertion assertion = assertion(email, displayName, now);
    response.getAssertions().add(assertion);

    Signature signature = build(Signature.DEFAULT_ELEMENT_NAME);
    signature.setSigningCredential(idpKey);
    signature.setSignatureAlgorithm(SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256);
    signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
    assertion.setSignature(signature);  // OpenSAML's default reference digest: SHA-256
    try {
      Element dom = XMLObjectProviderRegistrySupport.getMarshallerFactory().getMarshaller(response).marshall(response);
      Signer.signObject(signature);
      StringWriter out = new StringWriter(6144);
      serializer.transform(new DOMSource(dom), new StreamResult(out));
      return Base64.getEncoder().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
    } catch (MarshallingException | SignatureException | TransformerException e) {
      throw new IllegalStateException("cannot sign a response", e);
    }
  }

  private Assertion assertion(String email, String displayName, Instant now) {
    Instant until = now.plus(validity);
    Assertion a = build(Assertion.DEFAULT_ELEMENT_NAME);
    a.setID(newId());
    a.setVersion(SAMLVersion.VERSION_20);
    a.setIssueInstant(now);
    a.setIssuer(issuer());
    Subject subject = build(Subject.DEFAULT_ELEMENT_NAME);
    NameID nameId = build(NameID.DEFAULT_ELEMENT_NAME);
    nameId.setFormat(NameIDType.EMAIL);
    nameId.setValue(email);
    subject.setNameID(nameId);
    SubjectConfirmation confirmation = build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
    confirmation.setMethod(BEARER);
    SubjectConfirmationData data = build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
    data.setRecipient(acsUrl);
    data.setNotOnOrAfter(until);
    confirmation.setSubjectConfirmationData(data);
    subject.getSubjectConfirmations().add(confirmation);
    a.setSubject(subject);
    Conditions conditions = build(Conditions.DEFAULT_ELEMENT_NAME);
    conditions.setNotBefore(now.minusSeconds(5));
    conditions.setNotOnOrAfter(until);
    AudienceRestriction restriction = build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
    Audience audience = build(Audience.DEFAULT_ELEMENT_NAME);
    audience.setURI(spEntityId);
    restriction.getAudiences().add(audience);
    conditions.getAudienceRestrictions().add(restriction);
    a.setConditions(conditions);
    AuthnStatement authn = build(AuthnStatement.DEFAULT_ELEMENT_NAME);
    authn.setAuthnInstant(now);
    authn.setSessionIndex(newId());
    AuthnContext context = build(AuthnContext.DEFAULT_ELEMENT_NAME);
    AuthnContextClassRef classRef = build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
    classRef.setURI(PASSWORD_PROTECTED);
    context.setAuthnContextClassRef(classRef);
    authn.setAuthnContext(context);
    a.getAuthnStatements().add(authn);
    AttributeStatement attributes = build(AttributeStatement.DEFAULT_ELEMENT_NAME);
    attributes.getAttributes().add(attribute("email", email));
    attributes.getAttributes().add(attribute("displayName", displayName));
    attributes.getAttributes().add(attribute("groups", "bench-users", "staff"));
    a.getAttributeStatements().add(attributes);
    return a;
  }

  private Issuer issuer() {
    Issuer issuer = build(Issuer.DEFAULT_ELEMENT_NAME);
    issuer.setValue(idpEntityId);
    return issuer;
  }

  private static Attribute attribute(String name, String... values) {
    Attribute attribute = build(Attribute.DEFAULT_ELEMENT_NAME);
    attribute.setName(name);
    attribute.setNameFormat(Attribute.BASIC);
    for (String value : values) {
      XSString s = (XSString) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilderOrThrow(XSString.TYPE_NAME)
          .buildObject(AttributeValue.DEFAULT_ELEMENT_NAME, XSString.TYPE_NAME);
      s.setValue(value);
      attribute.getAttributeValues().add(s);
    }
    return attribute;
  }

  @SuppressWarnings("unchecked")
  private static <T extends XMLObject> T build(QName name) {
    return (T) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilderOrThrow(name).buildObject(name);
  }

  /** @return a message ID: {@code _} and 32 random hex digits (128 bits), as the gateway makes its own */
  private static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "_" + HexFormat.of().formatHex(bytes);
  }
}
