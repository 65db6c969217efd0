package io.authgate.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private static final String PURPOSE = "directories.bind_password:7f1c";
  private static final String PASSWORD = "s3cr3t-bind-pässword";

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Test
  void aSealedValueOpensToTheSameSecretAndNeverShowsIt() {
    byte[] key = randomKey();
    SecretBox box = SecretBox.of(key);
    String sealed = box.seal(PASSWORD, PURPOSE);

    assertThat(sealed).startsWith("v1:" + box.keyId() + ":").doesNotContain(PASSWORD);
    assertThat(box.open(sealed, PURPOSE)).isEqualTo(PASSWORD);
    assertThat(box.open(box.seal("", PURPOSE), PURPOSE)).isEmpty();
    assertThat(box.toString()).isEqualTo("SecretBox[current=" + box.keyId() + ", keys=[" + box.keyId() + "]]")
        .doesNotContain(Base64.getEncoder().encodeToString(key));
  }

  @Test
  void everySealUsesAFreshNonce() {
    SecretBox box = SecretBox.of(randomKey());
    String a = box.seal(PASSWORD, PURPOSE);
    String b = box.seal(PASSWORD, PURPOSE);
    assertThat(a).isNotEqualTo(b);
    byte[] nonceA = Arrays.copyOf(Base64.getDecoder().decode(a.split(":")[2]), 12);
    byte[] nonceB = Arrays.copyOf(Base64.getDecoder().decode(b.split(":")[2]), 12);
    assertThat(nonceA).isNotEqualTo(nonceB);
  }

  @Test
  void anyAlteredByteIsDetected() {
    SecretBox box = SecretBox.of(randomKey());
    String sealed = box.seal(PASSWORD, PURPOSE);
    byte[] bytes = Base64.getDecoder().decode(sealed.split(":")[2]);
    for (int i = 0; i < bytes.length; i++) {
      byte[] altered = bytes.clone();
      altered[i] ^= 0x01;
      String tampered = "v1:" + box.keyId() + ":" + Base64.getEncoder().encodeToString(altered);
      assertThatThrownBy(() -> box.open(tampered, PURPOSE)).isInstanceOf(SecretBoxException.class)
          .hasMessageContaining("does not authenticate");
    }
  }

  @Test
  void aValueDoesNotOpenUnderAnotherKeyOrForAnotherPurpose() {
    byte[] key = randomKey();
    SecretBox box = SecretBox.of(key);
    String sealed = box.seal(PASSWORD, PURPOSE);

    assertThatThrownBy(() -> SecretBox.of(randomKey()).open(sealed, PURPOSE))
        .isInstanceOf(SecretBoxException.class).hasMessageContaining("not configured");
    assertThatThrownBy(() -> box.open(sealed, "directories.bind_password:other"))
        .isInstanceOf(SecretBoxException.class).hasMessageContaining("does not authenticate")
        .hasMessageNotContaining(PASSWORD);
    String relabelled = sealed.replace(box.keyId(), SecretBox.of(randomKey()).keyId());
    SecretBox other = SecretBox.withPrevious(randomKey(), List.of(key));
    assertThat(other.open(sealed, PURPOSE)).isEqualTo(PASSWORD);
    assertThatThrownBy(() -> other.open(relabelled, PURPOSE)).isInstanceOf(SecretBoxException.class);
  }

  @Test
  void rotationOpensOldValuesAndSealsUnderTheNewKey() {
    byte[] old = randomKey();
    String sealedBefore = SecretBox.of(old).seal(PASSWORD, PURPOSE);
    SecretBox rotated = SecretBox.withPrevious(randomKey(), List.of(old));

    assertThat(rotated.needsResealing(sealedBefore)).isTrue();
    String resealed = rotated.seal(rotated.open(sealedBefore, PURPOSE), PURPOSE);
    assertThat(rotated.needsResealing(resealed)).isFalse();
    assertThat(rotated.open(resealed, PURPOSE)).isEqualTo(PASSWORD);
  }

  @Test
  void garbageIsRefusedAsNotSealed() {
    SecretBox box = SecretBox.of(randomKey());
    for (String garbage : new String[] {null, "", "plain text", "v2:abcd:AAAA", "v1:" + box.keyId() + ":%%%",
        "v1:" + box.keyId() + ":AAAA"}) {
      assertThatThrownBy(() -> box.open(garbage, PURPOSE)).isInstanceOf(SecretBoxException.class);
    }
    assertThatThrownBy(() -> SecretBox.of(new byte[16])).isInstanceOf(IllegalArgumentException.class);
  }
}
