package io.authgate.gateway.saml.idp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The xmlsec1 command as an independent judge of what the test IdP produced: does a signature
 * verify against a given certificate, what does an encrypted assertion decrypt to.
 */
final class XmlSecCli {
  static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion:Assertion";
  static final String RESPONSE = "urn:oasis:names:tc:SAML:2.0:protocol:Response";

  private final Path dir;

  XmlSecCli(Path dir) {
    this.dir = dir;
  }

  /**
   * Verifies the first signature inside the element with ID {@code nodeId} (the whole document's
   * first when null), accepting only {@code certificate}'s key; IDs of Assertions and Responses count.
   */
  boolean verifies(String xml, Path certificate, String nodeId) {
    Path file = write(xml);
    List<String> command = new ArrayList<>(List.of("xmlsec1", "--verify", "--pubkey-cert-pem", certificate.toString(),
        "--id-attr:ID", ASSERTION, "--id-attr:ID", RESPONSE));
    if (nodeId != null) {
      command.addAll(List.of("--node-id", nodeId));
    }
    command.add(file.toString());
    ProcessRunner.Result result = ProcessRunner.runAllowingFailure(dir, command, "", ProcessRunner.DEFAULT_TIMEOUT);
    delete(file);
    return result.exitCode() == 0 && result.stderr().lines().anyMatch("OK"::equals);
  }

  /** Decrypts every EncryptedData with the private key and returns the document. */
  String decrypt(String xml, Path privateKey) {
    Path file = write(xml);
    String plain = ProcessRunner.run(dir, List.of("xmlsec1", "--decrypt", "--privkey-pem", privateKey.toString(),
        file.toString()), "", ProcessRunner.DEFAULT_TIMEOUT);
    delete(file);
    return plain;
  }

  private Path write(String xml) {
    try {
      return Files.writeString(Files.createTempFile(dir, "doc", ".xml"), xml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    file.toFile().delete();
  }
}
