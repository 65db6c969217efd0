package io.authgate.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The hash that chains audit entries: SHA-256, in lowercase hex, over a canonical serialisation of
 * an entry's fields and the previous entry's hash.
 *
 * <p>The serialisation is the line {@code authgate-audit-v1}, then one line per field in this order:
 * id, at (microseconds since the epoch), actor, actor type, action, target type, target id, reason,
 * old state, new state, IP, user agent, previous hash. A null field is {@code ~}; any other is its
 * length in UTF-8 bytes, a colon and the value, so no value can pass for a neighbour's. JSON states
 * are taken as PostgreSQL prints {@code jsonb} (its own canonical text), which the append reads back
 * from the database before hashing. Thread-safe; stateless.
 */
public final class AuditHashes {
  /** The previous hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);
  private static final String VERSION = "authgate-audit-v1";
  private static final HexFormat HEX = HexFormat.of();

  private AuditHashes() {}

  /**
   * The canonical fields of one entry, the JSON states as {@code jsonb} text.
   *
   * @param id the entry's id
   * @param at when
   * @param actor who
   * @param actorType the actor type's id
   * @param action what
   * @param targetType may be null
   * @param targetId may be null
   * @param reason may be null
   * @param oldState {@code jsonb} text; may be null
   * @param newState {@code jsonb} text; may be null
   * @param ip may be null
   * @param userAgent may be null
   * @param prevHash the previous entry's hash
   */
  public record Fields(long id, Instant at, String actor, String actorType, String action, String targetType,
                       String targetId, String reason, String oldState, String newState, String ip,
                       String userAgent, String prevHash) {}

  /** @return the entry's hash */
  public static String hash(Fields f) {
    StringBuilder text = new StringBuilder(256).append(VERSION).append('\n');
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, f.at());
    for (String value : new String[] {Long.toString(f.id()), Long.toString(micros), f.actor(), f.actorType(),
        f.action(), f.targetType(), f.targetId(), f.reason(), f.oldState(), f.newState(), f.ip(), f.userAgent(),
        f.prevHash()}) {
      if (value == null) {
        text.append('~');
      } else {
        text.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value);
      }
      text.append('\n');
    }
    return HEX.formatHex(sha256(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
