package io.authgate.gateway.saml;

import io.authgate.core.config.AttributeMapping;
import io.authgate.core.config.IdpConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
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
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.saml.saml2.encryption.Encrypter;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.encryption.support.DataEncryptionParameters;
import org.opensaml.xmlsec.encryption.support.EncryptionConstants;
import org.opensaml.xmlsec.encryption.support.KeyEncryptionParameters;
import org.opensaml.xmlsec.keyinfo.impl.X509KeyInfoGeneratorFactory;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.Signer;
import org.w3c.dom.Element;

/**
 * A test IdP built with OpenSAML itself: its own key pair, metadata, and valid responses that
 * tests then sign, encrypt or break. Not thread-safe.
 */
final class IdpFixture {
  static final String ACS_BASE = "https://gw.example.test";
  private static BasicX509Credential sharedKey;
  private static BasicX509Credential otherKey;
  private static SpCredentials spKeys;

  final String entityId;
  final BasicX509Credential key;

  IdpFixture(String entityId, BasicX509Credential key) {
    this.entityId = entityId;
    this.key = key;
  }

  /** @return the main test IdP (its key generated once per JVM) */
  static synchronized IdpFixture main() {
    if (sharedKey == null) {
      sharedKey = SpCredentials.generateCredential("CN=test idp");
    }
    return new IdpFixture("https://idp.example.test/metadata", sharedKey);
  }

  /** @return a second IdP with another key */
  static synchronized IdpFixture other() {
    if (otherKey == null) {
      otherKey = SpCredentials.generateCredential("CN=other idp");
    }
    return new IdpFixture("https://other-idp.example.test/metadata", otherKey);
  }

  /** @return the SP's keys, generated once per JVM */
  static synchronized SpCredentials spKeys() {
    if (spKeys == null) {
      spKeys = SpCredentials.generated();
    }
    return spKeys;
  }

  static ServiceProvider sp() {
    return new ServiceProvider(ACS_BASE + "/saml/metadata", ACS_BASE + "/saml/acs", ACS_BASE + "/saml/slo",
        ACS_BASE + "/saml/metadata", spKeys(), Duration.ofSeconds(60), 256 * 1024);
  }

  static IdpConfig config(String id, boolean allowIdpInitiated) {
    return new IdpConfig(id, id, Optional.empty(), Optional.of("<x/>"), Optional.empty(), Duration.ofHours(1),
        AttributeMapping.none(), false, false, List.of(), allowIdpInitiated, true);
  }

  String metadataXml() {
    String cert;
    try {
      cert = Base64.getEncoder().encodeToString(key.getEntityCertificate().getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return """
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
              <ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/slo"/>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.test/sso-post"/>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>""".formatted(entityId, cert);
  }

  /** @return a registry holding this IdP (as "main") and, when given, others */
  IdpRegistry registry(boolean allowIdpInitiated, IdpFixture... others) {
    IdpRegistry registry = new IdpRegistry();
    registry.put(config("main", allowIdpInitiated), IdpMetadataParser.parse(metadataXml()));
    for (int i = 0; i < others.length; i++) {
      registry.put(config("other" + i, allowIdpInitiated), IdpMetadataParser.parse(others[i].metadataXml()));
    }
    return registry;
  }

  /** @return a valid, unsigned response to {@code inResponseTo} (null: unsolicited) for {@code nameId} */
  Response response(ServiceProvider sp, String inResponseTo, String nameId) {
    Instant now = Instant.now();
    Response r = SamlXml.build(Response.DEFAULT_ELEMENT_NAME);
    r.setID(AuthnRequests.newId());
    r.setVersion(SAMLVersion.VERSION_20);
    r.setIssueInstant(now);
    r.setDestination(sp.acsUrl());
    r.setInResponseTo(inResponseTo);
    r.setIssuer(AuthnRequests.issuer(entityId));
    Status status = SamlXml.build(Status.DEFAULT_ELEMENT_NAME);
    StatusCode code = SamlXml.build(StatusCode.DEFAULT_ELEMENT_NAME);
    code.setValue(StatusCode.SUCCESS);
    status.setStatusCode(code);
    r.setStatus(status);
    r.getAssertions().add(assertion(sp, inResponseTo, nameId, now));
    return r;
  }

  Assertion assertion(ServiceProvider sp, String inResponseTo, String nameId, Instant now) {
    Assertion a = SamlXml.build(Assertion.DEFAULT_ELEMENT_NAME);
    a.setID(AuthnRequests.newId());
    a.setVersion(SAMLVersion.VERSION_20);
    a.setIssueInstant(now);
    a.setIssuer(AuthnRequests.issuer(entityId));
    Subject subject = SamlXml.build(Subject.DEFAULT_ELEMENT_NAME);
    NameID name = SamlXml.build(NameID.DEFAULT_ELEMENT_NAME);
    name.setValue(nameId);
    name.setFormat(NameIDType.EMAIL);
    subject.setNameID(name);
    SubjectConfirmation sc = SamlXml.build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
    sc.setMethod(SamlConstants.BEARER);
    SubjectConfirmationData data = SamlXml.build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
    data.setRecipient(sp.acsUrl());
    data.setNotOnOrAfter(now.plus(Duration.ofMinutes(5)));
    data.setInResponseTo(inResponseTo);
    sc.setSubjectConfirmationData(data);
    subject.getSubjectConfirmations().add(sc);
    a.setSubject(subject);
    Conditions c = SamlXml.build(Conditions.DEFAULT_ELEMENT_NAME);
    c.setNotBefore(now.minus(Duration.ofSeconds(30)));
    c.setNotOnOrAfter(now.plus(Duration.ofMinutes(5)));
    AudienceRestriction ar = SamlXml.build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
    Audience au = SamlXml.build(Audience.DEFAULT_ELEMENT_NAME);
    au.setURI(sp.entityId());
    ar.getAudiences().add(au);
    c.getAudienceRestrictions().add(ar);
    a.setConditions(c);
    AuthnStatement authn = SamlXml.build(AuthnStatement.DEFAULT_ELEMENT_NAME);
    authn.setAuthnInstant(now);
    authn.setSessionIndex("_session-1");
    AuthnContext ctx = SamlXml.build(AuthnContext.DEFAULT_ELEMENT_NAME);
    AuthnContextClassRef ref = SamlXml.build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
    ref.setURI("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport");
    ctx.setAuthnContextClassRef(ref);
    authn.setAuthnContext(ctx);
    a.getAuthnStatements().add(authn);
    AttributeStatement attrs = SamlXml.build(AttributeStatement.DEFAULT_ELEMENT_NAME);
    attrs.getAttributes().add(attribute("email", nameId));
    attrs.getAttributes().add(attribute("groups", "admins", "staff"));
    a.getAttributeStatements().add(attrs);
    return a;
  }

  private static Attribute attribute(String name, String... values) {
    Attribute attr = SamlXml.build(Attribute.DEFAULT_ELEMENT_NAME);
    attr.setName(name);
    for (String v : values) {
      XSString s = (XSString) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilder(XSString.TYPE_NAME)
          .buildObject(AttributeValue.DEFAULT_ELEMENT_NAME, XSString.TYPE_NAME);
      s.setValue(v);
      attr.getAttributeValues().add(s);
    }
    return attr;
  }

  /** Attaches a signature by {@code signer} (not yet computed: call {@link #marshalAndSign}). */
  static Signature attachSignature(SignableSAMLObject object, BasicX509Credential signer, String algorithm,
                                   boolean embedCertificate) {
    Signature sig = SamlXml.build(Signature.DEFAULT_ELEMENT_NAME);
    sig.setSigningCredential(signer);
    sig.setSignatureAlgorithm(algorithm);
    sig.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
    if (embedCertificate) {
      X509KeyInfoGeneratorFactory f = new X509KeyInfoGeneratorFactory();
      f.setEmitEntityCertificate(true);
      try {
        sig.setKeyInfo(f.newInstance().generate(signer));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    object.setSignature(sig);
    return sig;
  }

  /** Marshals {@code root} and computes the signatures, innermost first. */
  static Element marshalAndSign(SignableSAMLObject root, Signature... innermostFirst) {
    Element dom = SamlXml.marshal(root);
    try {
      for (Signature s : innermostFirst) {
        Signer.signObject(s);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return dom;
  }

  /** @return the response with its assertion signed by this IdP (RSA-SHA256), marshalled */
  Element signedAssertion(Response r) {
    Signature s = attachSignature(r.getAssertions().get(0), key, SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256, false);
    return marshalAndSign(r, s);
  }

  /** @return the response signed as a whole by this IdP (RSA-SHA256), marshalled */
  Element signedResponse(Response r) {
    Signature s = attachSignature(r, key, SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256, false);
    return marshalAndSign(r, s);
  }

  /** Replaces the response's assertion with its encryption for {@code recipient}. */
  static void encryptAssertion(Response r, Assertion signedOrNot, BasicX509Credential recipient, String dataAlgorithm) {
    DataEncryptionParameters dp = new DataEncryptionParameters();
    dp.setAlgorithm(dataAlgorithm);
    KeyEncryptionParameters kp = new KeyEncryptionParameters();
    kp.setEncryptionCredential(new BasicX509Credential(recipient.getEntityCertificate()));
    kp.setAlgorithm(EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP);
    Encrypter encrypter = new Encrypter(dp, kp);
    encrypter.setKeyPlacement(Encrypter.KeyPlacement.INLINE);
    try {
      EncryptedAssertion ea = encrypter.encrypt(signedOrNot);
      r.getAssertions().clear();
      r.getEncryptedAssertions().add(ea);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the element serialized and base64-encoded, as a browser posts it */
  static String post(Element dom) {
    return post(SamlXml.serialize(dom));
  }

  static String post(String xml) {
    return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
  }

  /** @return the XML parsed plainly (namespace aware), for tests to tamper with */
  static org.w3c.dom.Document dom(String xml) {
    try {
      javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      return f.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the first element with this SAML assertion-namespace local name */
  static Element first(org.w3c.dom.Node scope, String ns, String localName) {
    org.w3c.dom.NodeList list = scope instanceof org.w3c.dom.Document d ? d.getElementsByTagNameNS(ns, localName)
        : ((Element) scope).getElementsByTagNameNS(ns, localName);
    return (Element) list.item(0);
  }

  static final String SAML = SAMLConstants.SAML20_NS;
  static final String SAMLP = SAMLConstants.SAML20P_NS;
  static final String DS = "http://www.w3.org/2000/09/xmldsig#";
}
