package io.authgate.gateway.saml.idp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Inflater;

/** Reads an HTTP-Redirect binding query string the way SAML Bindings 3.4.4.1 describes, for tests. */
final class RedirectBinding {
  static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

  private RedirectBinding() {}

  /** The query's parameters, still URL-encoded, in their order. */
  static Map<String, String> rawParameters(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return parameters;
  }

  /** Does the Signature parameter verify, RSA-SHA256, over {@code type=...[&RelayState=...]&SigAlg=...}? */
  static boolean signatureVerifies(String query, Path certificate) throws IOException, GeneralSecurityException {
    Map<String, String> raw = rawParameters(query);
    String type = raw.containsKey("SAMLRequest") ? "SAMLRequest" : "SAMLResponse";
    StringBuilder signed = new StringBuilder(type).append('=').append(raw.get(type));
    if (raw.containsKey("RelayState")) {
      signed.append("&RelayState=").append(raw.get("RelayState"));
    }
    signed.append("&SigAlg=").append(raw.get("SigAlg"));
    if (!RSA_SHA256.equals(decode(raw.get("SigAlg")))) {
      return false;
    }
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(certificate)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(cert.getPublicKey());
    verifier.update(signed.toString().getBytes(StandardCharsets.US_ASCII));
    return verifier.verify(Base64.getDecoder().decode(decode(raw.get("Signature"))));
  }

  /** The message: URL-decoded, base64-decoded, inflated (raw DEFLATE). */
  static String message(String query) throws Exception {
    Map<String, String> raw = rawParameters(query);
    String encoded = raw.containsKey("SAMLRequest") ? raw.get("SAMLRequest") : raw.get("SAMLResponse");
    Inflater inflater = new Inflater(true);
    inflater.setInput(Base64.getDecoder().decode(decode(encoded)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!inflater.finished()) {
      int n = inflater.inflate(buffer);
      if (n == 0 && inflater.needsInput()) {
        throw new IllegalArgumentException("truncated DEFLATE data");
      }
      out.write(buffer, 0, n);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
