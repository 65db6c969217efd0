package io.authgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreAndAdminConfigTest {
  private static final String MASTER_KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w=";
  private static final String API_KEY = "agk_0123456789abcdef0123456789abcdef_" + "A".repeat(43);

  @TempDir
  Path dir;

  private AuthgateConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("authgate.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.withEnvironment(env).load(Optional.of(file));
  }

  @Test
  void withoutThemTheEmbeddedDefaultGeneratesBoth() throws IOException {
    AuthgateConfig config = load("", Map.of());
    assertThat(config.store().masterKey()).isEmpty();
    assertThat(config.admin().bootstrapKey()).isEmpty();
  }

  @Test
  void bothComeFromTheFileOrTheEnvironmentAsSecrets() throws IOException {
    AuthgateConfig fromFile = load("store:\n  masterKey: " + MASTER_KEY + "\nadmin:\n  bootstrapKey: " + API_KEY + "\n",
        Map.of());
    assertThat(fromFile.store().masterKey()).contains(Secret.of(MASTER_KEY));
    assertThat(fromFile.admin().bootstrapKey()).contains(Secret.of(API_KEY));
    assertThat(fromFile.toString()).doesNotContain(MASTER_KEY).doesNotContain(API_KEY);

    AuthgateConfig fromEnv = load("", Map.of("AUTHGATE_STORE_MASTER_KEY", MASTER_KEY,
        "AUTHGATE_ADMIN_BOOTSTRAP_KEY", API_KEY));
    assertThat(fromEnv.store().masterKey()).contains(Secret.of(MASTER_KEY));
    assertThat(fromEnv.admin().bootstrapKey()).contains(Secret.of(API_KEY));
  }

  @Test
  void aMalformedKeyIsNamedWithoutBeingEchoed() {
    assertThatThrownBy(() -> load("store:\n  masterKey: c2hvcnQ=\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("store.masterKey")
        .hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ=");
    assertThatThrownBy(() -> load("admin:\n  bootstrapKey: letmein-letmein\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("admin.bootstrapKey")
        .hasMessageNotContaining("letmein");
    assertThatThrownBy(() -> load("admin:\n  bootstrap: x\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("admin.bootstrap: unknown key");
  }
}
