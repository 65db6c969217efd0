package io.authgate.gateway.saml.idp;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.helpers.DefaultHandler;

/** Reading the test IdP's documents in tests: namespace-aware DOM, no DTDs, small lookups. */
final class SamlDom {
  static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
  static final String SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
  static final String DS = "http://www.w3.org/2000/09/xmldsig#";
  static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
  static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata";

  private SamlDom() {}

  /** Parses a document without DOCTYPE (one with a DOCTYPE is refused). */
  static Element parse(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(new DefaultHandler()); // throws on errors, prints nothing
      return builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalArgumentException("not a plain XML document: " + e.getMessage(), e);
    }
  }

  /** The element's children in namespace {@code ns} named {@code local}. */
  static List<Element> children(Element parent, String ns, String local) {
    List<Element> found = new ArrayList<>();
    for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element element && ns.equals(element.getNamespaceURI()) && local.equals(element.getLocalName())) {
        found.add(element);
      }
    }
    return found;
  }

  /** The only child named so; fails when there are none or several. */
  static Element child(Element parent, String ns, String local) {
    List<Element> found = children(parent, ns, local);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " " + local + " children in " + parent.getLocalName());
    }
    return found.get(0);
  }

  /** Every descendant named so, in document order. */
  static List<Element> descendants(Element root, String ns, String local) {
    NodeList nodes = root.getElementsByTagNameNS(ns, local);
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      found.add((Element) nodes.item(i));
    }
    return found;
  }

  /** The text of the first descendant named so. */
  static String text(Element root, String ns, String local) {
    return descendants(root, ns, local).get(0).getTextContent();
  }

  /** The first descendant's attribute. */
  static String attribute(Element root, String ns, String local, String attribute) {
    return descendants(root, ns, local).get(0).getAttribute(attribute);
  }
}
