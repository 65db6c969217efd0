package io.authgate.core.apikeys;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An API key as stored: never its secret. Immutable.
 *
 * @param id the key's id, also the middle part of the key itself
 * @param name what the key is for, as its creator named it
 * @param role what it may do
 * @param bootstrap whether it is the bootstrap admin key (from configuration or generated at first start)
 * @param createdBy who created it (an API key id, an admin username, {@code config} or {@code system})
 * @param createdAt when
 * @param expiresAt when it stops working; null for never
 * @param revokedAt when it was revoked; null while it is not
 * @param lastUsedAt when it last authenticated, to the minute; null if never
 */
public record ApiKey(UUID id, String name, ApiKeyRole role, boolean bootstrap, String createdBy, Instant createdAt,
                     Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
  /** The columns {@link #fromRow} reads. */
  static final String COLUMNS = "id, name, role, bootstrap, created_by, created_at, expires_at, revoked_at, last_used_at";

  /** @return whether the key works at {@code now}: not revoked, not expired */
  public boolean usableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  static ApiKey fromRow(Row row) {
    return new ApiKey(row.getUUID("id"), row.getString("name"),
        ApiKeyRole.byId(row.getString("role")).orElseThrow(), row.getBoolean("bootstrap"),
        row.getString("created_by"), instant(row, "created_at"), instant(row, "expires_at"),
        instant(row, "revoked_at"), instant(row, "last_used_at"));
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
