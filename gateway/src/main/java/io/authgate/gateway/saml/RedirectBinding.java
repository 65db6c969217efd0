package io.authgate.gateway.saml;

import io.authgate.gateway.saml.SamlRejected.Reason;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.w3c.dom.Element;

/**
 * The HTTP-Redirect binding: DEFLATE, base64 and URL-encode a message into a query string, signed
 * over the exact encoded {@code SAMLRequest|SAMLResponse[&RelayState]&SigAlg} bytes; and the
 * reverse, verifying the signature against the raw query as received. Stateless, thread-safe.
 */
public final class RedirectBinding {
  /** Query parameter of a request. */
  public static final String SAML_REQUEST = "SAMLRequest";
  /** Query parameter of a response. */
  public static final String SAML_RESPONSE = "SAMLResponse";
  /** Query parameter carrying the relay state. */
  public static final String RELAY_STATE = "RelayState";

  private static final Map<String, String> JCA = Map.of(
      SamlConstants.RSA_SHA256, "SHA256withRSA",
      "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "SHA384withRSA",
      "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "SHA512withRSA",
      "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "SHA256withECDSA",
      "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "SHA384withECDSA",
      "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "SHA512withECDSA");

  private RedirectBinding() {}

  /**
   * @param parameter {@link #SAML_REQUEST} or {@link #SAML_RESPONSE}
   * @param xml the serialized message
   * @param relayState the relay state, or null
   * @param signingKey the key to sign with (RSA-SHA256), or null for an unsigned query
   * @return the query string, without a leading {@code ?}
   */
  public static String encode(String parameter, String xml, String relayState, PrivateKey signingKey) {
    StringBuilder q = new StringBuilder(parameter).append('=').append(url(deflate(xml)));
    if (relayState != null) {
      q.append('&').append(RELAY_STATE).append('=').append(url(relayState));
    }
    if (signingKey == null) {
      return q.toString();
    }
    q.append("&SigAlg=").append(url(SamlConstants.RSA_SHA256));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(signingKey);
      s.update(q.toString().getBytes(StandardCharsets.UTF_8));
      return q.append("&Signature=").append(url(Base64.getEncoder().encodeToString(s.sign()))).toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the Redirect-binding message", e);
    }
  }

  /**
   * A message received by the Redirect binding, its signature verified. Blocking.
   *
   * @param rawQuery the query string exactly as received (still URL-encoded)
   * @param parameter {@link #SAML_REQUEST} or {@link #SAML_RESPONSE}
   * @param trustedFor gives the certificates of the IdP that issued the parsed message (by its
   *     Issuer); the signature must verify with one of them. It throws SamlRejected ISSUER for an
   *     unknown issuer.
   * @return the message's root element and the relay state (null when absent)
   * @throws SamlRejected when unsigned, signed with a refused algorithm or an untrusted key, or malformed
   */
  public static Received decode(String rawQuery, String parameter,
                               Function<Element, List<X509Certificate>> trustedFor) {
    Map<String, String> raw = rawParameters(rawQuery == null ? "" : rawQuery);
    String message = raw.get(parameter);
    String sigAlgRaw = raw.get("SigAlg");
    String signatureRaw = raw.get("Signature");
    if (message == null) {
      throw new SamlRejected(Reason.MALFORMED, "no " + parameter + " parameter");
    }
    if (sigAlgRaw == null || signatureRaw == null) {
      throw new SamlRejected(Reason.SIGNATURE, "unsigned Redirect-binding " + parameter);
    }
    String sigAlg = URLDecoder.decode(sigAlgRaw, StandardCharsets.UTF_8);
    String jca = JCA.get(sigAlg);
    if (jca == null) {
      throw new SamlRejected(Reason.ALGORITHM, "SigAlg " + sigAlg);
    }
    StringBuilder signed = new StringBuilder(parameter).append('=').append(message);
    if (raw.containsKey(RELAY_STATE)) {
      signed.append('&').append(RELAY_STATE).append('=').append(raw.get(RELAY_STATE));
    }
    signed.append("&SigAlg=").append(sigAlgRaw);
    byte[] signature;
    try {
      signature = Base64.getMimeDecoder().decode(URLDecoder.decode(signatureRaw, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new SamlRejected(Reason.SIGNATURE, "Signature is not base64");
    }
    Element root = SamlXml.parse(inflate(URLDecoder.decode(message, StandardCharsets.UTF_8))).getDocumentElement();
    List<X509Certificate> trusted = trustedFor.apply(root);
    if (!verifiesWithAny(jca, signed.toString().getBytes(StandardCharsets.UTF_8), signature, trusted)) {
      throw new SamlRejected(Reason.SIGNATURE, "Redirect-binding signature does not verify with the IdP's metadata keys");
    }
    String relay = raw.containsKey(RELAY_STATE) ? URLDecoder.decode(raw.get(RELAY_STATE), StandardCharsets.UTF_8) : null;
    return new Received(root, relay);
  }

  /**
   * A verified Redirect-binding message.
   *
   * @param root the message's root element
   * @param relayState the relay state, or null
   */
  public record Received(Element root, String relayState) {}

  private static boolean verifiesWithAny(String jca, byte[] data, byte[] signature, List<X509Certificate> trusted) {
    for (X509Certificate cert : trusted) {
      try {
        Signature s = Signature.getInstance(jca);
        s.initVerify(cert.getPublicKey());
        s.update(data);
        if (s.verify(signature)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // wrong key type for this algorithm: try the next certificate
      }
    }
    return false;
  }

  private static Map<String, String> rawParameters(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = pair.substring(0, eq);
      if (out.putIfAbsent(name, pair.substring(eq + 1)) != null) {
        throw new SamlRejected(Reason.MALFORMED, "parameter " + name + " given twice");
      }
    }
    return out;
  }

  private static String deflate(String xml) {
    Deflater deflater = new Deflater(Deflater.DEFLATED, true);
    try {
      deflater.setInput(xml.getBytes(StandardCharsets.UTF_8));
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (!deflater.finished()) {
        out.write(buf, 0, deflater.deflate(buf));
      }
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(String base64) {
    byte[] compressed;
    try {
      compressed = Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new SamlRejected(Reason.MALFORMED, "message is not base64");
    }
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        out.write(buf, 0, n);
        if (out.size() > SamlConstants.MAX_INFLATED_BYTES) {
          throw new SamlRejected(Reason.MALFORMED, "inflated message too large");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new SamlRejected(Reason.MALFORMED, "message is not DEFLATE data");
    } finally {
      inflater.end();
    }
  }

  private static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
