package io.authgate.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditHashesTest {
  private static final Instant AT = Instant.parse("2026-11-22T08:00:00.123456Z");

  private static AuditHashes.Fields fields(String targetType, String targetId, String reason, String prev) {
    return new AuditHashes.Fields(7, AT, "alice", "admin_user", "user.suspend", targetType, targetId, reason,
        "{\"status\": \"active\"}", "{\"status\": \"suspended\"}", "10.0.0.1", "curl/8", prev);
  }

  @Test
  void theHashIsStableHexSha256() {
    String hash = AuditHashes.hash(fields("user", "42", "left", AuditHashes.GENESIS));
    assertThat(hash).matches("[0-9a-f]{64}");
    assertThat(AuditHashes.hash(fields("user", "42", "left", AuditHashes.GENESIS))).isEqualTo(hash);
  }

  @Test
  void everyFieldAndThePreviousHashChangeIt() {
    String base = AuditHashes.hash(fields("user", "42", "left", AuditHashes.GENESIS));
    assertThat(AuditHashes.hash(fields("user", "43", "left", AuditHashes.GENESIS))).isNotEqualTo(base);
    assertThat(AuditHashes.hash(fields("user", "42", "Left", AuditHashes.GENESIS))).isNotEqualTo(base);
    assertThat(AuditHashes.hash(fields("user", "42", "left", "1".repeat(64)))).isNotEqualTo(base);
    AuditHashes.Fields f = fields("user", "42", "left", AuditHashes.GENESIS);
    assertThat(AuditHashes.hash(new AuditHashes.Fields(7, AT.plusNanos(1000), f.actor(), f.actorType(), f.action(),
        f.targetType(), f.targetId(), f.reason(), f.oldState(), f.newState(), f.ip(), f.userAgent(), f.prevHash())))
        .isNotEqualTo(base);
    assertThat(AuditHashes.hash(new AuditHashes.Fields(8, AT, f.actor(), f.actorType(), f.action(),
        f.targetType(), f.targetId(), f.reason(), f.oldState(), f.newState(), f.ip(), f.userAgent(), f.prevHash())))
        .isNotEqualTo(base);
  }

  @Test
  void aNullIsNotAnEmptyValueAndValuesCannotShiftAcrossFields() {
    assertThat(AuditHashes.hash(fields("user", null, "x", AuditHashes.GENESIS)))
        .isNotEqualTo(AuditHashes.hash(fields("user", "", "x", AuditHashes.GENESIS)));
    assertThat(AuditHashes.hash(fields("ab", "c", "x", AuditHashes.GENESIS)))
        .isNotEqualTo(AuditHashes.hash(fields("a", "bc", "x", AuditHashes.GENESIS)));
    assertThat(AuditHashes.hash(fields("a\n1:b", null, "x", AuditHashes.GENESIS)))
        .isNotEqualTo(AuditHashes.hash(fields("a", "b", "x", AuditHashes.GENESIS)));
  }
}
