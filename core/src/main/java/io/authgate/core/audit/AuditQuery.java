package io.authgate.core.audit;

import java.time.Instant;

/**
 * Filters and a page of the audit log, newest first. Null filters match everything. Immutable.
 *
 * @param actor only this actor; may be null
 * @param action only this action; may be null
 * @param targetType only targets of this type; may be null
 * @param targetId only this target; may be null
 * @param from only entries at or after; may be null
 * @param to only entries before; may be null
 * @param before the cursor: only entries with a smaller id (from {@link AuditPage#nextCursor()}); may be null
 * @param limit at most this many entries, 1 to {@link #MAX_LIMIT}
 */
public record AuditQuery(String actor, String action, String targetType, String targetId, Instant from, Instant to,
                         Long before, int limit) {
  /** The largest page. */
  public static final int MAX_LIMIT = 500;
  /** The page size when none is asked for. */
  public static final int DEFAULT_LIMIT = 50;

  /** Checks the limit. */
  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  /** @return the newest {@link #DEFAULT_LIMIT} entries, unfiltered */
  public static AuditQuery latest() {
    return new AuditQuery(null, null, null, null, null, null, null, DEFAULT_LIMIT);
  }
}
