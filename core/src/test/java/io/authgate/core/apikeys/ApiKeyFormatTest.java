package io.authgate.core.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {
  @Test
  void aGeneratedKeyCarriesItsIdAndA256BitSecret() {
    UUID id = UUID.randomUUID();
    String key = ApiKeyFormat.generate(id);

    assertThat(key).startsWith("agk_" + id.toString().replace("-", "") + "_");
    ApiKeyFormat.Parts parts = ApiKeyFormat.parse(key).orElseThrow();
    assertThat(parts.id()).isEqualTo(id);
    assertThat(parts.secret()).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(parts.toString()).doesNotContain(parts.secret());
  }

  @Test
  void everyGeneratedSecretIsDifferent() {
    UUID id = UUID.randomUUID();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(ApiKeyFormat.generate(id));
    }
    assertThat(keys).hasSize(1000);
  }

  @Test
  void garbageIsNotAKey() {
    String good = ApiKeyFormat.generate(UUID.randomUUID());
    assertThat(ApiKeyFormat.parse(null)).isEmpty();
    assertThat(ApiKeyFormat.parse("")).isEmpty();
    assertThat(ApiKeyFormat.parse("Bearer " + good)).isEmpty();
    assertThat(ApiKeyFormat.parse(good.replace("agk_", "agx_"))).isEmpty();
    assertThat(ApiKeyFormat.parse(good.substring(0, 36) + "_short")).isEmpty();
    assertThat(ApiKeyFormat.parse("agk_" + "G".repeat(32) + "_" + "a".repeat(43))).isEmpty();
    assertThat(ApiKeyFormat.parse(good + "!")).isEmpty();
    assertThat(ApiKeyFormat.parse(good + "a".repeat(300))).isEmpty();
    assertThat(ApiKeyFormat.parse(good.toUpperCase())).isEmpty();
  }

  @Test
  void onlyTheRightSecretMatchesItsHash() {
    byte[] stored = ApiKeyFormat.hash("correct-horse-battery-staple-0123456789");
    assertThat(stored).hasSize(32);
    assertThat(ApiKeyFormat.matches("correct-horse-battery-staple-0123456789", stored)).isTrue();
    assertThat(ApiKeyFormat.matches("correct-horse-battery-staple-0123456788", stored)).isFalse();
    assertThat(ApiKeyFormat.matches("anything", null)).isFalse();
  }
}
