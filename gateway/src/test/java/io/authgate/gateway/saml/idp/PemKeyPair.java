package io.authgate.gateway.saml.idp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An RSA private key and its self-signed certificate, as PEM files made by openssl for one test run.
 * Immutable; the files are deleted with their temporary directory.
 *
 * @param key the unencrypted PKCS#8 private key (PEM)
 * @param certificate the X.509 certificate (PEM)
 */
public record PemKeyPair(Path key, Path certificate) {

  /**
   * Generates a 2048-bit RSA key and a certificate valid for two days.
   *
   * @param dir the directory for {@code <name>.key} and {@code <name>.pem}
   * @param name the file name stem, also the certificate's common name
   * @return the pair
   */
  public static PemKeyPair generate(Path dir, String name) {
    ProcessRunner.run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key",
        "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name), "", ProcessRunner.DEFAULT_TIMEOUT);
    return new PemKeyPair(dir.resolve(name + ".key"), dir.resolve(name + ".pem"));
  }

  /** @return the certificate's base64 DER body, as it appears in {@code ds:X509Certificate} */
  public String certificateBase64() {
    try {
      return Files.readString(certificate).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
