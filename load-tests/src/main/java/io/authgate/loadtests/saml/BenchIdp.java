package io.authgate.loadtests.saml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.opensaml.security.x509.BasicX509Credential;

/**
 * The benchmark's IdP and SP key material on disk: self-signed RSA credentials as PEM files (the
 * private keys PKCS#8, owner-only), and the IdP's SAML metadata naming its signing certificate.
 * Stateless, thread-safe.
 */
final class BenchIdp {
  /** The IdP's key pair, as {@code <dir>/idp-key.pem} and {@code <dir>/idp-cert.pem}. */
  static final String IDP_KEY = "idp-key.pem";
  static final String IDP_CERT = "idp-cert.pem";
  /** The SP's key pair, for {@code saml.signingKey} / {@code saml.signingCertificate}. */
  static final String SP_KEY = "sp-key.pem";
  static final String SP_CERT = "sp-cert.pem";
  /** The IdP's metadata, for {@code saml.idps[].metadataFile}. */
  static final String IDP_METADATA = "idp-metadata.xml";

  private BenchIdp() {}

  /**
   * Writes a fresh IdP credential, its metadata and a fresh SP credential into {@code dir}.
   *
   * @param dir an existing directory
   * @param idpEntityId the IdP's entity ID (the Issuer of every response)
   * @param bits the RSA key size of both credentials
   */
  static void create(Path dir, String idpEntityId, int bits) {
    BasicX509Credential idp = generate("CN=authgate bench IdP", bits);
    write(dir, IDP_KEY, IDP_CERT, idp);
    write(dir, SP_KEY, SP_CERT, generate("CN=authgate bench SP", bits));
    writeText(dir.resolve(IDP_METADATA), metadata(idpEntityId, idp.getEntityCertificate()), false);
  }

  /** @return the IdP credential {@link #create} wrote into {@code dir} */
  static BasicX509Credential readIdp(Path dir) {
    try {
      byte[] keyDer = pemBody(Files.readString(dir.resolve(IDP_KEY)));
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(keyDer));
      X509Certificate cert;
      try (var in = Files.newInputStream(dir.resolve(IDP_CERT))) {
        cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      return new BasicX509Credential(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bench IdP's key from " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the bench IdP's key from " + dir, e);
    }
  }

  private static BasicX509Credential generate(String subject, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Principal name = new X500Principal(subject);
      X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
          Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
      return new BasicX509Credential(cert, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a key pair for " + subject, e);
    }
  }

  private static void write(Path dir, String keyFile, String certFile, BasicX509Credential credential) {
    try {
      writeText(dir.resolve(keyFile), pem("PRIVATE KEY", credential.getPrivateKey().getEncoded()), true);
      writeText(dir.resolve(certFile), pem("CERTIFICATE", credential.getEntityCertificate().getEncoded()), false);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the certificate", e);
    }
  }

  private static String metadata(String entityId, X509Certificate cert) {
    String der;
    try {
      der = Base64.getEncoder().encodeToString(cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return """
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%1$s">
          <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing">
              <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>%2$s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
            </md:KeyDescriptor>
            <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="%1$s/sso"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """.formatted(entityId, der);
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] pemBody(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }

  private static void writeText(Path file, String text, boolean ownerOnly) {
    try {
      Files.deleteIfExists(file);
      if (ownerOnly) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
