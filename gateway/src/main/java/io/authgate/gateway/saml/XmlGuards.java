package io.authgate.gateway.saml;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.util.HashSet;
import java.util.Set;
import javax.xml.XMLConstants;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Structural checks on the raw DOM, before any content is believed: exactly one assertion
 * anywhere, unique IDs, signatures only where SAML puts them and covering exactly their parent,
 * and only allowed algorithms. These close the signature-wrapping family of attacks together with
 * using only the verified element. Stateless and thread-safe.
 */
final class XmlGuards {
  static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
  static final String XENC_NS = "http://www.w3.org/2001/04/xmlenc#";

  private XmlGuards() {}

  /** Refuses a document that does not hold exactly one Assertion or EncryptedAssertion, in any namespace. */
  static void exactlyOneAssertion(Document doc) {
    int n = doc.getElementsByTagNameNS("*", "Assertion").getLength()
        + doc.getElementsByTagNameNS("*", "EncryptedAssertion").getLength();
    if (n != 1) {
      throw new SamlRejected(Reason.ASSERTION_COUNT, n + " assertions in the document");
    }
  }

  /** Refuses a document in which two elements carry the same ID (any of ID, Id, id). */
  static void uniqueIds(Document doc) {
    Set<String> seen = new HashSet<>();
    NodeList all = doc.getElementsByTagNameNS("*", "*");
    for (int i = 0; i < all.getLength(); i++) {
      NamedNodeMap attrs = all.item(i).getAttributes();
      for (int j = 0; j < attrs.getLength(); j++) {
        Attr a = (Attr) attrs.item(j);
        String name = a.getLocalName() == null ? a.getName() : a.getLocalName();
        boolean idLike = name.equals("ID") || name.equals("Id") || name.equals("id");
        if (idLike && !XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI()) && !seen.add(a.getValue())) {
          throw new SamlRejected(Reason.SIGNATURE, "duplicate ID " + a.getValue());
        }
      }
    }
  }

  /**
   * Refuses any ds:Signature that is not a direct child of a Response or Assertion element
   * (such as one moved into Extensions or a ds:Object), and checks every signature's algorithms.
   */
  static void signaturesInPlace(Document doc) {
    NodeList sigs = doc.getElementsByTagNameNS(DSIG_NS, "Signature");
    for (int i = 0; i < sigs.getLength(); i++) {
      Element sig = (Element) sigs.item(i);
      Node parent = sig.getParentNode();
      boolean allowed = parent instanceof Element p
          && ((SAMLConstants.SAML20P_NS.equals(p.getNamespaceURI()) && isProtocolMessage(p.getLocalName()))
          || (SAMLConstants.SAML20_NS.equals(p.getNamespaceURI()) && "Assertion".equals(p.getLocalName())));
      if (!allowed) {
        throw new SamlRejected(Reason.SIGNATURE, "a Signature inside " + (parent == null ? "nothing" : parent.getNodeName()));
      }
      signatureAlgorithms(sig);
    }
  }

  private static boolean isProtocolMessage(String name) {
    return name.equals("Response") || name.equals("LogoutRequest") || name.equals("LogoutResponse");
  }

  /**
   * Checks one signature: exc-c14n (no comments) canonicalization, a SHA-2 signature method, exactly
   * one Reference whose URI is {@code #} + the parent's ID, SHA-2 digest, and only the
   * enveloped-signature and exc-c14n transforms.
   */
  static void signatureAlgorithms(Element sig) {
    Element signedInfo = onlyChild(sig, DSIG_NS, "SignedInfo");
    String c14n = onlyChild(signedInfo, DSIG_NS, "CanonicalizationMethod").getAttribute("Algorithm");
    if (!SamlConstants.EXC_C14N.equals(c14n)) {
      throw new SamlRejected(Reason.ALGORITHM, "canonicalization " + c14n);
    }
    String method = onlyChild(signedInfo, DSIG_NS, "SignatureMethod").getAttribute("Algorithm");
    if (!SamlConstants.SIGNATURE_ALGORITHMS.contains(method)) {
      throw new SamlRejected(Reason.ALGORITHM, "signature method " + method);
    }
    Element reference = onlyChild(signedInfo, DSIG_NS, "Reference");
    Element parent = (Element) sig.getParentNode();
    String id = parent.getAttribute("ID");
    if (id.isEmpty() || !("#" + id).equals(reference.getAttribute("URI"))) {
      throw new SamlRejected(Reason.SIGNATURE, "the Reference does not point to the signature's parent");
    }
    String digest = onlyChild(reference, DSIG_NS, "DigestMethod").getAttribute("Algorithm");
    if (!SamlConstants.DIGEST_ALGORITHMS.contains(digest)) {
      throw new SamlRejected(Reason.ALGORITHM, "digest " + digest);
    }
    NodeList transforms = reference.getElementsByTagNameNS(DSIG_NS, "Transform");
    for (int i = 0; i < transforms.getLength(); i++) {
      String t = ((Element) transforms.item(i)).getAttribute("Algorithm");
      if (!SamlConstants.ENVELOPED.equals(t) && !SamlConstants.EXC_C14N.equals(t)) {
        throw new SamlRejected(Reason.ALGORITHM, "transform " + t);
      }
      if (((Element) transforms.item(i)).getElementsByTagNameNS("*", "*").getLength() > 0
          && !SamlConstants.EXC_C14N.equals(t)) {
        throw new SamlRejected(Reason.ALGORITHM, "transform with parameters");
      }
    }
  }

  /** Refuses encryption algorithms outside the allow-lists (RSA 1.5 in particular). */
  static void encryptionAlgorithms(Element encryptedAssertion) {
    NodeList methods = encryptedAssertion.getElementsByTagNameNS(XENC_NS, "EncryptionMethod");
    if (methods.getLength() == 0) {
      throw new SamlRejected(Reason.ALGORITHM, "no EncryptionMethod");
    }
    for (int i = 0; i < methods.getLength(); i++) {
      Element m = (Element) methods.item(i);
      String alg = m.getAttribute("Algorithm");
      String owner = m.getParentNode().getLocalName();
      boolean ok = "EncryptedKey".equals(owner) ? SamlConstants.KEY_TRANSPORT_ALGORITHMS.contains(alg)
          : "EncryptedData".equals(owner) && SamlConstants.DATA_ENCRYPTION_ALGORITHMS.contains(alg);
      if (!ok) {
        throw new SamlRejected(Reason.ALGORITHM, owner + " algorithm " + alg);
      }
      NodeList digests = m.getElementsByTagNameNS(DSIG_NS, "DigestMethod");
      for (int j = 0; j < digests.getLength(); j++) {
        String d = ((Element) digests.item(j)).getAttribute("Algorithm");
        if (!SamlConstants.OAEP_DIGEST_ALGORITHMS.contains(d)) {
          throw new SamlRejected(Reason.ALGORITHM, "OAEP digest " + d);
        }
      }
    }
  }

  private static Element onlyChild(Element parent, String ns, String name) {
    Element found = null;
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
        if (found != null) {
          throw new SamlRejected(Reason.SIGNATURE, "more than one " + name);
        }
        found = e;
      }
    }
    if (found == null) {
      throw new SamlRejected(Reason.SIGNATURE, "no " + name);
    }
    return found;
  }
}
