package io.authgate.gateway.saml;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import javax.xml.namespace.QName;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import net.shibboleth.utilities.java.support.xml.XMLParserException;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.MarshallingException;
import org.opensaml.core.xml.io.Unmarshaller;
import org.opensaml.core.xml.io.UnmarshallingException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Small helpers to build, marshal, serialize and parse SAML objects. Stateless, thread-safe, blocking. */
final class SamlXml {
  private SamlXml() {}

  /** @return a new, empty SAML object of the type whose element is {@code name} */
  @SuppressWarnings("unchecked")
  static <T extends XMLObject> T build(QName name) {
    SamlBootstrap.initialize();
    return (T) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilderOrThrow(name).buildObject(name);
  }

  /** @return the object's DOM, marshalled now */
  static Element marshal(XMLObject object) {
    try {
      return XMLObjectProviderRegistrySupport.getMarshallerFactory().getMarshaller(object).marshall(object);
    } catch (MarshallingException e) {
      throw new IllegalStateException("cannot marshal " + object.getElementQName(), e);
    }
  }

  /** @return the element serialized without reformatting */
  static String serialize(Element element) {
    try {
      Transformer t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter out = new StringWriter();
      t.transform(new DOMSource(element), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new IllegalStateException("cannot serialize XML", e);
    }
  }

  /**
   * @param bytes an XML document
   * @return the document parsed with the hardened pool
   * @throws SamlRejected MALFORMED when it is not well-formed or declares a DOCTYPE
   */
  static Document parse(byte[] bytes) {
    try {
      return SamlBootstrap.initialize().parse(new ByteArrayInputStream(bytes));
    } catch (XMLParserException e) {
      throw new SamlRejected(SamlRejected.Reason.MALFORMED, "not well-formed XML or a DOCTYPE: " + rootCause(e));
    }
  }

  /** @return the SAML object of this element */
  static XMLObject unmarshal(Element element) {
    Unmarshaller u = XMLObjectProviderRegistrySupport.getUnmarshallerFactory().getUnmarshaller(element);
    if (u == null) {
      throw new SamlRejected(SamlRejected.Reason.MALFORMED, "unknown root element " + element.getLocalName());
    }
    try {
      return u.unmarshall(element);
    } catch (UnmarshallingException e) {
      throw new SamlRejected(SamlRejected.Reason.MALFORMED, "cannot unmarshal: " + rootCause(e));
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
