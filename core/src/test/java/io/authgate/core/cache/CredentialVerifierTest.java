package io.authgate.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CredentialVerifierTest {
  private final CredentialVerifier verifier = CredentialVerifier.withKey(Secret.of("k".repeat(32)));

  @Test
  void theSameCredentialsUnderTheSameKeyGiveTheSameVerifier() {
    String user = verifier.userKey("corp", "alice");
    assertThat(CredentialVerifier.matches(verifier.verifier(user, "pw-1"), verifier.verifier(user, "pw-1"))).isTrue();
    assertThat(verifier.userKey("corp", "alice")).isEqualTo(user).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  void loginNamesDifferingOnlyInCaseAreOneUser() {
    assertThat(verifier.userKey("corp", "ÄLICE@Example.ORG")).isEqualTo(verifier.userKey("corp", "älice@example.org"));
    // Locale-independent: a Turkish default locale must not turn "I" into a dotless "ı".
    assertThat(verifier.userKey("corp", "TITLE")).isEqualTo(verifier.userKey("corp", "title"));
  }

  @Test
  void anyDifferenceGivesADifferentVerifier() {
    String alice = verifier.userKey("corp", "alice");
    byte[] reference = verifier.verifier(alice, "pw-1");
    assertThat(CredentialVerifier.matches(reference, verifier.verifier(alice, "pw-2"))).isFalse();
    assertThat(CredentialVerifier.matches(reference, verifier.verifier(verifier.userKey("corp", "bob"), "pw-1")))
        .isFalse();
    assertThat(CredentialVerifier.matches(reference, verifier.verifier(verifier.userKey("other", "alice"), "pw-1")))
        .isFalse();
    CredentialVerifier otherKey = CredentialVerifier.withKey(Secret.of("x".repeat(32)));
    assertThat(CredentialVerifier.matches(reference, otherKey.verifier(alice, "pw-1"))).isFalse();
    assertThat(otherKey.userKey("corp", "alice")).isNotEqualTo(alice);
  }

  @Test
  void neitherThePasswordNorAnUnkeyedHashAppearsInTheVerifier() throws Exception {
    String user = verifier.userKey("corp", "alice");
    byte[] v = verifier.verifier(user, "pw-1");
    String hex = HexFormat.of().formatHex(v);
    assertThat(new String(v, StandardCharsets.ISO_8859_1)).doesNotContain("pw-1");
    byte[] plainSha = java.security.MessageDigest.getInstance("SHA-256").digest("pw-1".getBytes(StandardCharsets.UTF_8));
    assertThat(hex).isNotEqualTo(HexFormat.of().formatHex(plainSha));
    assertThat(v).hasSize(32);
  }
}
