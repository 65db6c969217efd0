package io.authgate.gateway.saml;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.shibboleth.utilities.java.support.xml.ParserPool;
import net.shibboleth.utilities.java.support.xml.XMLParserException;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.UnmarshallingException;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.metadata.EntitiesDescriptor;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.Endpoint;
import org.opensaml.saml.saml2.metadata.IDPSSODescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.security.credential.UsageType;
import org.opensaml.security.x509.X509Support;
import org.opensaml.xmlsec.signature.X509Data;
import org.w3c.dom.Element;

/**
 * Reads an IdP's metadata: an {@code EntityDescriptor} (or an {@code EntitiesDescriptor} holding
 * exactly one IdP) with an {@code IDPSSODescriptor}. Stateless and thread-safe; blocking (parses
 * XML): call off the event loop.
 */
public final class IdpMetadataParser {
  private IdpMetadataParser() {}

  /**
   * @param xml the metadata document
   * @return the IdP's entity ID, signing certificates and Redirect-binding endpoints
   * @throws IllegalArgumentException saying what is wrong: not metadata, no IdP role, no usable
   *     signing key, or a signing certificate that cannot be read
   */
  public static IdpMetadata parse(String xml) {
    ParserPool pool = SamlBootstrap.initialize();
    EntityDescriptor entity = entity(unmarshall(pool, xml));
    IDPSSODescriptor idp = entity.getIDPSSODescriptor(SAMLConstants.SAML20P_NS);
    if (idp == null) {
      throw new IllegalArgumentException("metadata of " + entity.getEntityID() + " has no SAML 2.0 IDPSSODescriptor");
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (KeyDescriptor kd : idp.getKeyDescriptors()) {
      if (kd.getUse() == UsageType.ENCRYPTION) {
        continue;
      }
      if (kd.getKeyInfo() == null || kd.getKeyInfo().getX509Datas().isEmpty()) {
        throw new IllegalArgumentException("a signing KeyDescriptor of " + entity.getEntityID() + " holds no X509Certificate");
      }
      for (X509Data data : kd.getKeyInfo().getX509Datas()) {
        for (org.opensaml.xmlsec.signature.X509Certificate c : data.getX509Certificates()) {
          certs.add(certificate(entity.getEntityID(), c.getValue()));
        }
      }
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("metadata of " + entity.getEntityID() + " names no signing certificate");
    }
    return new IdpMetadata(entity.getEntityID(), certs,
        redirect(idp.getSingleSignOnServices()), redirect(idp.getSingleLogoutServices()));
  }

  private static XMLObject unmarshall(ParserPool pool, String xml) {
    try {
      Element root = pool.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
      var unmarshaller = XMLObjectProviderRegistrySupport.getUnmarshallerFactory().getUnmarshaller(root);
      if (unmarshaller == null) {
        throw new IllegalArgumentException("not SAML metadata: root element " + root.getLocalName());
      }
      return unmarshaller.unmarshall(root);
    } catch (XMLParserException e) {
      throw new IllegalArgumentException("metadata is not well-formed XML (or declares a DOCTYPE)");
    } catch (UnmarshallingException e) {
      throw new IllegalArgumentException("metadata cannot be read: " + e.getMessage());
    }
  }

  private static EntityDescriptor entity(XMLObject root) {
    if (root instanceof EntityDescriptor e) {
      return e;
    }
    if (root instanceof EntitiesDescriptor all) {
      List<EntityDescriptor> idps = all.getEntityDescriptors().stream()
          .filter(e -> e.getIDPSSODescriptor(SAMLConstants.SAML20P_NS) != null).toList();
      if (idps.size() == 1) {
        return idps.get(0);
      }
      throw new IllegalArgumentException("metadata holds " + idps.size() + " IdPs; give exactly one");
    }
    throw new IllegalArgumentException("metadata root must be an EntityDescriptor");
  }

  private static X509Certificate certificate(String entityId, String base64) {
    try {
      X509Certificate cert = X509Support.decodeCertificate(base64 == null ? "" : base64.replaceAll("\\s", ""));
      if (cert == null) {
        throw new CertificateException("empty");
      }
      return cert;
    } catch (CertificateException | RuntimeException e) {
      throw new IllegalArgumentException("a signing certificate of " + entityId + " cannot be read");
    }
  }

  private static Optional<String> redirect(List<? extends Endpoint> endpoints) {
    return endpoints.stream().filter(e -> SamlConstants.REDIRECT_BINDING.equals(e.getBinding()))
        .map(Endpoint::getLocation).filter(l -> l != null && !l.isBlank()).findFirst();
  }
}
