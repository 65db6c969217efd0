package io.authgate.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {
  private static final String PURPOSE = "identity_providers.signing_key:okta";

  @TempDir
  Path dir;

  @Test
  void theEmbeddedDefaultGeneratesAnOwnerOnlyKeyFileAndReusesIt() throws IOException {
    Path dataDir = dir.resolve("data");
    SecretBox first = MasterKeys.fromConfigOrDataDir(Optional.empty(), dataDir);
    Path file = dataDir.resolve("master.key");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(MasterKeys.decode(Files.readString(file))).isPresent();
    String sealed = first.seal("private key", PURPOSE);

    SecretBox again = MasterKeys.fromConfigOrDataDir(Optional.empty(), dataDir);
    assertThat(again.keyId()).isEqualTo(first.keyId());
    assertThat(again.open(sealed, PURPOSE)).isEqualTo("private key");
  }

  @Test
  void aKeyFileOthersMayReadIsRefused() throws IOException {
    MasterKeys.fromConfigOrDataDir(Optional.empty(), dir);
    Path file = dir.resolve("master.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> MasterKeys.fromConfigOrDataDir(Optional.empty(), dir))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("chmod 600");
  }

  @Test
  void aConfiguredKeyWinsOverTheFile() throws IOException {
    String configured = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w=";
    SecretBox box = MasterKeys.fromConfigOrDataDir(Optional.of(Secret.of(configured)), dir);

    assertThat(Files.exists(dir.resolve("master.key"))).isFalse();
    SecretBox same = SecretBox.of(MasterKeys.decode(configured).orElseThrow());
    assertThat(same.open(box.seal("bind", PURPOSE), PURPOSE)).isEqualTo("bind");
    assertThatThrownBy(() -> MasterKeys.fromConfigOrDataDir(Optional.of(Secret.of("c2hvcnQ=")), dir))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.masterKey")
        .hasMessageNotContaining("c2hvcnQ=");
  }

  @Test
  void aMalformedKeyFileIsRefused() throws IOException {
    Files.writeString(dir.resolve("master.key"), "not a key\n");
    Files.setPosixFilePermissions(dir.resolve("master.key"), PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> MasterKeys.fromConfigOrDataDir(Optional.empty(), dir))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("base64 of 32 bytes");
  }

  @Test
  void aProcessOfAnExternalStoreGeneratesNoKeyAndSealsNothingWithoutOne() {
    Path dataDir = dir.resolve("data");
    Map<String, String> external = Map.of("AUTHGATE_POSTGRES_URL", "postgresql://db/authgate",
        "AUTHGATE_EMBEDDED_DATA_DIR", dataDir.toString());
    assertThat(MasterKeys.forConfig(ConfigLoader.withEnvironment(external).load(Optional.empty()))).isEmpty();
    assertThat(dataDir).doesNotExist();

    String key = Base64.getEncoder().encodeToString(new byte[SecretBox.KEY_BYTES]);
    Map<String, String> configured = new HashMap<>(external);
    configured.put("AUTHGATE_STORE_MASTER_KEY", key);
    assertThat(MasterKeys.forConfig(ConfigLoader.withEnvironment(configured).load(Optional.empty()))).isPresent();
    assertThat(dataDir).doesNotExist();

    Map<String, String> embedded = Map.of("AUTHGATE_EMBEDDED_DATA_DIR", dataDir.toString());
    assertThat(MasterKeys.forConfig(ConfigLoader.withEnvironment(embedded).load(Optional.empty()))).isPresent();
    assertThat(dataDir.resolve(MasterKeys.FILE_NAME)).exists();
  }
}
