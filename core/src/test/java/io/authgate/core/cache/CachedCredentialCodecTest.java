package io.authgate.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedCredentialCodecTest {
  private static final byte[] VERIFIER = new byte[32];

  static {
    Arrays.fill(VERIFIER, (byte) 0xA5);
  }

  private static final Principal ALICE = new Principal("alice", "uid=alice,ou=people,dc=example,dc=org",
      "alice@example.org", "Alice Émilie 日本", List.of(
          new Group("admins", "cn=admins,ou=groups,dc=example,dc=org"),
          new Group("développeurs", "cn=développeurs,ou=groups,dc=example,dc=org")), "corp");

  private static void assertSame(CachedCredential actual, CachedCredential expected) {
    assertThat(actual.verifier()).isEqualTo(expected.verifier());
    assertThat(actual.principal()).isEqualTo(expected.principal());
    assertThat(actual.freshUntil()).isEqualTo(expected.freshUntil());
    assertThat(actual.staleUntil()).isEqualTo(expected.staleUntil());
  }

  @Test
  void anEntryReadsBackAsItWasWritten() {
    CachedCredential entry = new CachedCredential(VERIFIER, ALICE, 1_700_000_300_000L, 1_700_003_600_000L);
    byte[] stored = CachedCredentialCodec.encode(entry);
    assertThat(stored[0]).isEqualTo(CachedCredentialCodec.FORMAT);
    assertSame(CachedCredentialCodec.decode(stored), entry);
  }

  @Test
  void missingEmailDisplayNameAndGroupsReadBackAsMissing() {
    Principal bare = new Principal("bob", "uid=bob,dc=example,dc=org", null, null, List.of(), "corp");
    CachedCredential entry = new CachedCredential(VERIFIER, bare, 1L, 2L);
    CachedCredential read = CachedCredentialCodec.decode(CachedCredentialCodec.encode(entry));
    assertSame(read, entry);
    assertThat(read.principal().email()).isNull();
    assertThat(read.principal().displayName()).isNull();
    assertThat(read.principal().groups()).isEmpty();
  }

  @Test
  void anEntryAnEarlierVersionWroteAsJsonIsStillRead() {
    String json = new JsonObject()
        .put("v", Base64.getEncoder().encodeToString(VERIFIER))
        .put("p", ALICE.toJson())
        .put("f", 1_700_000_300_000L)
        .put("s", 1_700_003_600_000L)
        .encode();
    CachedCredential read = CachedCredentialCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    assertSame(read, new CachedCredential(VERIFIER, ALICE, 1_700_000_300_000L, 1_700_003_600_000L));
  }

  @Test
  void theBinaryFormIsFarSmallerThanTheJson() {
    CachedCredential entry = new CachedCredential(VERIFIER, ALICE, 1_700_000_300_000L, 1_700_003_600_000L);
    int json = new JsonObject().put("v", Base64.getEncoder().encodeToString(VERIFIER)).put("p", ALICE.toJson())
        .put("f", entry.freshUntil()).put("s", entry.staleUntil()).encode().getBytes(StandardCharsets.UTF_8).length;
    assertThat(CachedCredentialCodec.encode(entry).length).isLessThan(json * 3 / 4);
  }

  @Test
  void aTruncatedEntryIsRefused() {
    byte[] stored = CachedCredentialCodec.encode(new CachedCredential(VERIFIER, ALICE, 1L, 2L));
    for (int length : new int[] {0, 1, 9, 40, stored.length - 1}) {
      byte[] cut = Arrays.copyOf(stored, length);
      assertThatThrownBy(() -> CachedCredentialCodec.decode(cut)).as("cut to %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void trailingBytesAnUnknownFormatAndImpossibleLengthsAreRefused() {
    byte[] stored = CachedCredentialCodec.encode(new CachedCredential(VERIFIER, ALICE, 1L, 2L));
    byte[] longer = Arrays.copyOf(stored, stored.length + 1);
    assertThatThrownBy(() -> CachedCredentialCodec.decode(longer)).isInstanceOf(IllegalArgumentException.class);

    byte[] otherFormat = stored.clone();
    otherFormat[0] = 2;
    assertThatThrownBy(() -> CachedCredentialCodec.decode(otherFormat)).isInstanceOf(IllegalArgumentException.class);

    // The username's length, right after the format, the two times and the verifier, claims 2 GB.
    byte[] hugeString = stored.clone();
    ByteBuffer.wrap(hugeString).putInt(1 + 8 + 8 + 2 + VERIFIER.length, Integer.MAX_VALUE);
    assertThatThrownBy(() -> CachedCredentialCodec.decode(hugeString)).isInstanceOf(IllegalArgumentException.class);
  }
}
