package io.authgate.gateway.saml;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.metadata.AssertionConsumerService;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.saml.saml2.metadata.NameIDFormat;
import org.opensaml.saml.saml2.metadata.SPSSODescriptor;
import org.opensaml.saml.saml2.metadata.SingleLogoutService;
import org.opensaml.security.credential.UsageType;
import org.opensaml.xmlsec.signature.KeyInfo;
import org.opensaml.xmlsec.signature.X509Data;

/** Builds the SP's metadata document served at {@code /saml/metadata}. Stateless and thread-safe. */
public final class SpMetadata {
  /** NameID formats the SP accepts, in order of preference. */
  public static final List<String> NAME_ID_FORMATS = List.of(NameIDType.EMAIL, NameIDType.PERSISTENT,
      NameIDType.UNSPECIFIED);

  private SpMetadata() {}

  /**
   * Blocking only on first use (OpenSAML initialization); cache the result.
   *
   * @param sp the SP
   * @param signAuthnRequests whether it says its AuthnRequests are signed
   * @return the EntityDescriptor XML
   */
  public static String xml(ServiceProvider sp, boolean signAuthnRequests) {
    EntityDescriptor entity = SamlXml.build(EntityDescriptor.DEFAULT_ELEMENT_NAME);
    entity.setEntityID(sp.entityId());
    SPSSODescriptor role = SamlXml.build(SPSSODescriptor.DEFAULT_ELEMENT_NAME);
    role.addSupportedProtocol(SAMLConstants.SAML20P_NS);
    role.setAuthnRequestsSigned(signAuthnRequests);
    role.setWantAssertionsSigned(true);
    role.getKeyDescriptors().add(key(UsageType.SIGNING, sp.credentials().signing().getEntityCertificate()));
    role.getKeyDescriptors().add(key(UsageType.ENCRYPTION, sp.credentials().encryption().getEntityCertificate()));
    SingleLogoutService slo = SamlXml.build(SingleLogoutService.DEFAULT_ELEMENT_NAME);
    slo.setBinding(SamlConstants.REDIRECT_BINDING);
    slo.setLocation(sp.sloUrl());
    role.getSingleLogoutServices().add(slo);
    for (String format : NAME_ID_FORMATS) {
      NameIDFormat f = SamlXml.build(NameIDFormat.DEFAULT_ELEMENT_NAME);
      f.setURI(format);
      role.getNameIDFormats().add(f);
    }
    AssertionConsumerService acs = SamlXml.build(AssertionConsumerService.DEFAULT_ELEMENT_NAME);
    acs.setBinding(SamlConstants.POST_BINDING);
    acs.setLocation(sp.acsUrl());
    acs.setIndex(0);
    acs.setIsDefault(true);
    role.getAssertionConsumerServices().add(acs);
    entity.getRoleDescriptors().add(role);
    return SamlXml.serialize(SamlXml.marshal(entity));
  }

  private static KeyDescriptor key(UsageType use, X509Certificate cert) {
    KeyDescriptor kd = SamlXml.build(KeyDescriptor.DEFAULT_ELEMENT_NAME);
    kd.setUse(use);
    KeyInfo info = SamlXml.build(KeyInfo.DEFAULT_ELEMENT_NAME);
    X509Data data = SamlXml.build(X509Data.DEFAULT_ELEMENT_NAME);
    org.opensaml.xmlsec.signature.X509Certificate c =
        SamlXml.build(org.opensaml.xmlsec.signature.X509Certificate.DEFAULT_ELEMENT_NAME);
    try {
      c.setValue(Base64.getEncoder().encodeToString(cert.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the SP certificate", e);
    }
    data.getX509Certificates().add(c);
    info.getX509Datas().add(data);
    kd.setKeyInfo(info);
    return kd;
  }
}
