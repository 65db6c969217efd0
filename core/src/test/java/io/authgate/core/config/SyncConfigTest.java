package io.authgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncConfigTest {
  private static AuthgateConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = Files.createTempFile("authgate-sync-config", ".yaml");
    Files.writeString(file, yaml);
    try {
      return ConfigLoader.withEnvironment(env).load(Optional.of(file));
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void theDefaultsSyncEveryThirtyMinutesAndProbeEveryMinute() throws IOException {
    SyncConfig sync = load("", Map.of()).sync();
    assertThat(sync).isEqualTo(SyncConfig.defaults());
    assertThat(sync.syncInterval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(sync.healthInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(sync.backoff()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30));
    assertThat(sync.pageSize()).isEqualTo(500);
  }

  @Test
  void everyKeyComesFromTheFileOrTheEnvironment() throws IOException {
    SyncConfig sync = load("sync:\n  workers: 4\n  backoff: [10s, 2m]\n  syncInterval: 0\n  pageSize: 1000\n",
        Map.of("AUTHGATE_SYNC_LEASE", "2m", "AUTHGATE_SYNC_FULL_SYNC_INTERVAL", "12h")).sync();
    assertThat(sync.workers()).isEqualTo(4);
    assertThat(sync.backoff()).isEqualTo(List.of(Duration.ofSeconds(10), Duration.ofMinutes(2)));
    assertThat(sync.syncInterval()).isZero();
    assertThat(sync.lease()).isEqualTo(Duration.ofMinutes(2));
    assertThat(sync.fullSyncInterval()).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> load("sync:\n  pageSize: 5000\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.pageSize");
    assertThatThrownBy(() -> load("sync:\n  backoff: [soon]\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.backoff");
    assertThatThrownBy(() -> load("sync:\n  lease: 10ms\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.lease");
    assertThatThrownBy(() -> load("sync:\n  interval: 5m\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sync.interval");
  }

  @Test
  void provisioningIsOptInPerDirectoryAndNeedsABaseDn() throws IOException {
    String directory = "directories:\n  - name: corp\n    urls: [ldap://ldap.example.org]\n    baseDn: dc=example,dc=org\n";
    ProvisioningConfig off = load(directory, Map.of()).directories().get(0).provisioning();
    assertThat(off.enabled()).isFalse();
    ProvisioningConfig on = load(directory + "    provisioning: {enabled: true, baseDn: \"ou=people,dc=example,dc=org\", "
        + "onSuspend: delete}\n", Map.of()).directories().get(0).provisioning();
    assertThat(on.enabled()).isTrue();
    assertThat(on.baseDn()).contains("ou=people,dc=example,dc=org");
    assertThat(on.onSuspend()).isEqualTo(ProvisioningConfig.SuspendPolicy.DELETE);
    assertThat(on.objectClasses()).contains("inetOrgPerson");
    assertThatThrownBy(() -> load(directory + "    provisioning: {enabled: true}\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("directories[0].provisioning.baseDn");
    assertThatThrownBy(() -> load(directory + "    kind: active-directory\n    provisioning: {enabled: true, "
        + "baseDn: \"ou=x,dc=example,dc=org\"}\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("directories[0].provisioning.enabled");
  }
}
