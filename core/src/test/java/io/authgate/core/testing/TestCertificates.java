package io.authgate.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway CA and a server certificate for {@code localhost} / {@code 127.0.0.1}, made once per
 * test JVM with openssl: PEM files for slapd and the gateway's {@code caFile}, PKCS#12 for Java
 * servers. A second, unrelated CA proves untrusted servers are refused.
 */
public final class TestCertificates {
  /** The PKCS#12 password. */
  public static final String KEYSTORE_PASSWORD = "changeit";
  private static TestCertificates instance;

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** @return the certificates, made on first use */
  public static synchronized TestCertificates get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("authgate-certs");
        dir.toFile().deleteOnExit();
        make(dir);
        instance = new TestCertificates(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  private static void make(Path dir) throws IOException {
    Processes.run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
        "-out", "ca.pem", "-days", "2", "-subj", "/CN=authgate test CA"));
    Processes.run(dir, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key",
        "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=unrelated CA"));
    issue(dir, "server", "DNS:localhost,IP:127.0.0.1");
    // The same CA, but a certificate naming only "localhost": connecting by IP must fail verification.
    issue(dir, "dns-only", "DNS:localhost");
  }

  /** Issues {@code <name>.key}, {@code <name>.pem} and {@code <name>.p12} for {@code localhost}, signed by the CA. */
  private static void issue(Path dir, String name, String subjectAltNames) throws IOException {
    Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltNames + "\n");
    Processes.run(dir, List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key",
        "-out", name + ".csr", "-subj", "/CN=localhost"));
    Processes.run(dir, List.of("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext"));
    Processes.run(dir, List.of("openssl", "pkcs12", "-export", "-in", name + ".pem", "-inkey", name + ".key",
        "-out", name + ".p12", "-passout", "pass:" + KEYSTORE_PASSWORD));
  }

  /** @return the CA that signed the server certificate (PEM) */
  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  /** @return a CA that signed nothing here (PEM) */
  public Path otherCaFile() {
    return dir.resolve("other-ca.pem");
  }

  /** @return the server certificate (PEM) */
  public Path serverCertificate() {
    return dir.resolve("server.pem");
  }

  /** @return the server key (PEM) */
  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** @return a certificate from the same CA naming only {@code localhost}, as PKCS#12 */
  public Path localhostOnlyKeyStore() {
    return dir.resolve("dns-only.p12");
  }

  /** @return certificate and key as PKCS#12, password {@link #KEYSTORE_PASSWORD} */
  public Path serverKeyStore() {
    return dir.resolve("server.p12");
  }
}
