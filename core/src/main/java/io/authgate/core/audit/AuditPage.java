package io.authgate.core.audit;

import java.util.List;

/**
 * One page of the audit log, newest first. Immutable.
 *
 * @param entries the entries
 * @param nextCursor pass as {@link AuditQuery#before()} for the next page; null on the last page
 */
public record AuditPage(List<AuditEntry> entries, Long nextCursor) {
  /** Copies the list. */
  public AuditPage {
    entries = List.copyOf(entries);
  }
}
