package io.authgate.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Test material made with openssl: self-signed key pairs (PKCS#8 key and certificate, PEM) and
 * IdP metadata documents naming a certificate.
 */
final class IdpFixtures {
  private IdpFixtures() {}

  /** A PEM key pair. */
  record Pair(String privateKey, String certificate) {
    /** @return the certificate's base64 body, as metadata carries it */
    String certificateBody() {
      return certificate.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }
  }

  /** @return a fresh self-signed RSA-2048 pair for {@code CN=<name>} */
  static Pair pair(String name) {
    try {
      Path dir = Files.createTempDirectory("authgate-idp-fixture");
      Path key = dir.resolve("key.pem");
      Path cert = dir.resolve("cert.pem");
      Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
          key.toString(), "-out", cert.toString(), "-subj", "/CN=" + name, "-days", "30")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl req failed");
      }
      return new Pair(Files.readString(key), Files.readString(cert));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return IdP metadata of {@code entityId} whose signing key is {@code pair}'s */
  static String metadata(String entityId, Pair pair) {
    return """
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" \
        xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="%s">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
              <ds:X509Certificate>%s</ds:X509Certificate>
            </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" \
        Location="https://idp.example.com/sso"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """.formatted(entityId, pair.certificateBody());
  }

  /** @return metadata of an SP only: no IDPSSODescriptor */
  static String spOnlyMetadata(String entityId) {
    return """
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
          <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" \
        Location="https://sp.example.com/acs" index="0"/>
          </md:SPSSODescriptor>
        </md:EntityDescriptor>
        """.formatted(entityId);
  }

  /** @return IdP metadata with an IDPSSODescriptor but no signing certificate */
  static String unsignedMetadata(String entityId) {
    return """
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" \
        Location="https://idp.example.com/sso"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """.formatted(entityId);
  }
}
