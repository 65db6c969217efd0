package io.authgate.gateway.saml;

import io.authgate.core.config.SamlConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.opensaml.security.credential.UsageType;
import org.opensaml.security.x509.BasicX509Credential;

/**
 * The SP's key pairs: one to sign (AuthnRequests, LogoutRequests, metadata) and one assertions are
 * encrypted for. Loaded from PEM files named in {@link SamlConfig}, or a generated self-signed
 * RSA-3072 pair, persisted or kept in memory. Immutable and thread-safe.
 *
 * @param signing the signing credential (private key and certificate)
 * @param encryption the decryption credential; the signing one when none is configured
 */
public record SpCredentials(BasicX509Credential signing, BasicX509Credential encryption) {
  /** File name of a generated private key under the data directory. */
  public static final String GENERATED_KEY = "saml-sp-key.pem";
  /** File name of a generated certificate under the data directory. */
  public static final String GENERATED_CERT = "saml-sp-cert.pem";

  /**
   * Uses the configured PEM files, else the pair persisted under {@code dataDir}, generating and
   * saving one (owner-only permissions) on first use. Blocking: call off the event loop.
   *
   * @param config the SAML section
   * @param dataDir where generated keys are kept, such as the embedded default's {@code ./data}
   * @return the credentials
   */
  public static SpCredentials fromConfigOrDirectory(SamlConfig config, Path dataDir) {
    return configured(config).orElseGet(() -> persisted(dataDir));
  }

  /**
   * Uses the configured PEM files, else a pair generated now and never saved (tests). Blocking.
   *
   * @param config the SAML section
   * @return the credentials
   */
  public static SpCredentials fromConfigOrMemory(SamlConfig config) {
    return configured(config).orElseGet(SpCredentials::generated);
  }

  /** @return a fresh self-signed RSA-3072 pair used for both signing and encryption */
  public static SpCredentials generated() {
    BasicX509Credential c = generateCredential("CN=authgate SAML SP");
    return new SpCredentials(c, c);
  }

  /**
   * @param subject the certificate's distinguished name, such as {@code CN=test}
   * @return a fresh self-signed RSA-3072 credential valid ten years
   */
  public static BasicX509Credential generateCredential(String subject) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(3072, new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Principal name = new X500Principal(subject);
      X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
      return credential(cert, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate the SAML SP key pair", e);
    }
  }

  private static Optional<SpCredentials> configured(SamlConfig config) {
    if (config.signingKey().isEmpty() || config.signingCertificate().isEmpty()) {
      return Optional.empty();
    }
    BasicX509Credential signing = read(config.signingKey().get(), config.signingCertificate().get());
    BasicX509Credential encryption = config.encryptionKey().isPresent() && config.encryptionCertificate().isPresent()
        ? read(config.encryptionKey().get(), config.encryptionCertificate().get()) : signing;
    return Optional.of(new SpCredentials(signing, encryption));
  }

  private static SpCredentials persisted(Path dir) {
    Path key = dir.resolve(GENERATED_KEY);
    Path cert = dir.resolve(GENERATED_CERT);
    if (!Files.exists(key) || !Files.exists(cert)) {
      BasicX509Credential fresh = generateCredential("CN=authgate SAML SP");
      try {
        Files.createDirectories(dir);
        writeOwnerOnly(key, pem(fresh.getPrivateKey()));
        writeOwnerOnly(cert, pem(fresh.getEntityCertificate()));
      } catch (FileAlreadyExistsException e) {
        // another process won the race; use what it wrote
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the generated SAML SP key under " + dir, e);
      }
    }
    BasicX509Credential c = read(key, cert);
    return new SpCredentials(c, c);
  }

  /**
   * Reads a PEM private key (PKCS#8, or PKCS#1 RSA) and its PEM X.509 certificate.
   *
   * @param keyFile the private key
   * @param certFile the certificate
   * @return the credential
   * @throws IllegalArgumentException naming the file that cannot be read (never the key's content)
   */
  public static BasicX509Credential read(Path keyFile, Path certFile) {
    PrivateKey key;
    try (Reader in = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(in)) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        key = converter.getPrivateKey(info);
      } else if (o instanceof PEMKeyPair pair) {
        key = converter.getKeyPair(pair).getPrivate();
      } else {
        throw new IllegalArgumentException(keyFile + " holds no unencrypted PEM private key");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the private key " + keyFile);
    }
    try (Reader in = Files.newBufferedReader(certFile, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(in)) {
      if (!(parser.readObject() instanceof X509CertificateHolder holder)) {
        throw new IllegalArgumentException(certFile + " holds no PEM certificate");
      }
      return credential(new JcaX509CertificateConverter().getCertificate(holder), key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the certificate " + certFile);
    }
  }

  /** @return the PEM text of a key or certificate */
  static String pem(Object keyOrCertificate) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(keyOrCertificate);
    }
    return out.toString();
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII);
  }

  static BasicX509Credential credential(X509Certificate cert, PrivateKey key) {
    BasicX509Credential c = new BasicX509Credential(cert, key);
    c.setUsageType(UsageType.UNSPECIFIED);
    return c;
  }
}
