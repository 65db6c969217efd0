package io.authgate.core.idps;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Checks an IdP's metadata before it is stored: well-formed XML without a DOCTYPE, an
 * {@code EntityDescriptor} (or an {@code EntitiesDescriptor} holding exactly one IdP) with a
 * SAML 2.0 {@code IDPSSODescriptor} that names at least one readable signing certificate. The
 * gateways parse the stored copy again with OpenSAML. Blocking (parses XML): call off the event
 * loop. Stateless and thread-safe.
 */
public final class MetadataCheck {
  /** The SAML 2.0 metadata namespace. */
  public static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata";
  private static final String DS = "http://www.w3.org/2000/09/xmldsig#";
  private static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";

  private MetadataCheck() {}

  /**
   * What the check found. Immutable.
   *
   * @param entityId the IdP's entity ID
   * @param signingCertificates the certificates its messages may be signed with; never empty
   */
  public record Checked(String entityId, List<X509Certificate> signingCertificates) {
    /** Copies the list. */
    public Checked {
      signingCertificates = List.copyOf(signingCertificates);
    }
  }

  /**
   * @param xml the metadata document
   * @return its entity ID and signing certificates
   * @throws MetadataException saying what is wrong
   */
  public static Checked check(String xml) {
    Element root = parse(xml);
    Element entity = entity(root);
    String entityId = entity.getAttribute("entityID").strip();
    if (entityId.isEmpty()) {
      throw new MetadataException("the EntityDescriptor has no entityID");
    }
    Element idp = children(entity, MD, "IDPSSODescriptor").stream()
        .filter(e -> List.of(e.getAttribute("protocolSupportEnumeration").split("\\s+")).contains(PROTOCOL))
        .findFirst()
        .orElseThrow(() -> new MetadataException("the metadata of " + entityId + " has no SAML 2.0 IDPSSODescriptor"));
    List<X509Certificate> certificates = new ArrayList<>();
    for (Element key : children(idp, MD, "KeyDescriptor")) {
      if ("encryption".equals(key.getAttribute("use"))) {
        continue;
      }
      for (Element info : children(key, DS, "KeyInfo")) {
        for (Element data : children(info, DS, "X509Data")) {
          for (Element cert : children(data, DS, "X509Certificate")) {
            certificates.add(certificate(entityId, cert.getTextContent()));
          }
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new MetadataException("the IDPSSODescriptor of " + entityId + " names no signing certificate");
    }
    return new Checked(entityId, certificates);
  }

  private static Element parse(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(new DefaultHandler() {
        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      });
      return builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    } catch (SAXException | IOException e) {
      throw new MetadataException("the metadata is not well-formed XML (or declares a DOCTYPE)");
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be hardened", e);
    }
  }

  private static Element entity(Element root) {
    if (MD.equals(root.getNamespaceURI()) && "EntityDescriptor".equals(root.getLocalName())) {
      return root;
    }
    if (MD.equals(root.getNamespaceURI()) && "EntitiesDescriptor".equals(root.getLocalName())) {
      List<Element> idps = children(root, MD, "EntityDescriptor").stream()
          .filter(e -> !children(e, MD, "IDPSSODescriptor").isEmpty()).toList();
      if (idps.size() != 1) {
        throw new MetadataException("the metadata holds " + idps.size() + " IdPs; give exactly one");
      }
      return idps.get(0);
    }
    throw new MetadataException("the metadata's root must be a SAML 2.0 metadata EntityDescriptor, not "
        + root.getLocalName());
  }

  private static List<Element> children(Element parent, String namespace, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
        found.add(e);
      }
    }
    return found;
  }

  private static X509Certificate certificate(String entityId, String base64) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64 == null ? "" : base64.strip());
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
      throw new MetadataException("a signing certificate of " + entityId + " cannot be read");
    }
  }
}
