package io.authgate.gateway.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.config.SamlConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpCredentialsTest {
  @TempDir
  Path dir;

  private static SamlConfig config(Optional<Path> key, Optional<Path> cert) {
    return new SamlConfig(Optional.empty(), Optional.empty(), key, cert, Optional.empty(), Optional.empty(),
        Duration.ofSeconds(60), Duration.ofMinutes(5), 256 * 1024, 256, List.of());
  }

  @Test
  void aGeneratedPairIsPersistedOwnerOnlyAndReusedAfterARestart() throws Exception {
    SpCredentials first = SpCredentials.fromConfigOrDirectory(config(Optional.empty(), Optional.empty()), dir);
    Path key = dir.resolve(SpCredentials.GENERATED_KEY);
    assertThat(Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(((RSAPublicKey) first.signing().getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
    assertThat(first.encryption()).isSameAs(first.signing());
    SpCredentials again = SpCredentials.fromConfigOrDirectory(config(Optional.empty(), Optional.empty()), dir);
    assertThat(again.signing().getEntityCertificate()).isEqualTo(first.signing().getEntityCertificate());
    assertThat(again.signing().getPrivateKey().getEncoded()).isEqualTo(first.signing().getPrivateKey().getEncoded());
  }

  @Test
  void configuredPemFilesWinOverTheDataDirectory() throws Exception {
    var pair = SpCredentials.generateCredential("CN=configured");
    Path key = Files.writeString(dir.resolve("k.pem"), SpCredentials.pem(pair.getPrivateKey()));
    Path cert = Files.writeString(dir.resolve("c.pem"), SpCredentials.pem(pair.getEntityCertificate()));
    SpCredentials loaded = SpCredentials.fromConfigOrDirectory(config(Optional.of(key), Optional.of(cert)), dir);
    assertThat(loaded.signing().getEntityCertificate()).isEqualTo(pair.getEntityCertificate());
    assertThat(Files.exists(dir.resolve(SpCredentials.GENERATED_KEY))).isFalse();
  }

  @Test
  void inMemoryPairsAreNeverWritten() {
    SpCredentials c = SpCredentials.fromConfigOrMemory(config(Optional.empty(), Optional.empty()));
    assertThat(c.signing().getPrivateKey()).isNotNull();
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void anUnreadableKeyIsReportedWithoutItsContent() throws Exception {
    Path key = Files.writeString(dir.resolve("k.pem"), "not a key at all SECRET");
    Path cert = Files.writeString(dir.resolve("c.pem"), "nor a certificate");
    assertThatThrownBy(() -> SpCredentials.read(key, cert)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k.pem").hasMessageNotContaining("SECRET");
  }
}
