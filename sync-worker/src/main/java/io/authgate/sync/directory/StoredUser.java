package io.authgate.sync.directory;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * An account as sync compares it with a directory entry. Immutable; nullable like the columns.
 *
 * @param id its resource id
 * @param directoryId its directory, or null for an account of none
 * @param externalId the directory's stable id it was matched with
 * @param username its username
 * @param ldapDn its DN
 * @param email its email
 * @param firstName given name
 * @param lastName family name
 * @param displayName the name shown
 * @param department its department
 * @param employeeType its employee type
 * @param manager its manager as the directory names it
 * @param status its lifecycle status
 * @param lastSyncAt when sync last saw it
 */
record StoredUser(UUID id, UUID directoryId, String externalId, String username, String ldapDn, String email,
                  String firstName, String lastName, String displayName, String department, String employeeType,
                  String manager, String status, Instant lastSyncAt) {
  static final String COLUMNS = "u.resource_id, u.directory_id, u.external_id, u.username, u.ldap_dn, u.email, "
      + "u.first_name, u.last_name, u.display_name, u.department, u.employee_type, u.manager, u.status, u.last_sync_at";

  static StoredUser of(Row row) {
    OffsetDateTime synced = row.getOffsetDateTime("last_sync_at");
    return new StoredUser(row.getUUID("resource_id"), row.getUUID("directory_id"), row.getString("external_id"),
        row.getString("username"), row.getString("ldap_dn"), row.getString("email"), row.getString("first_name"),
        row.getString("last_name"), row.getString("display_name"), row.getString("department"),
        row.getString("employee_type"), row.getString("manager"), row.getString("status"),
        synced == null ? null : synced.toInstant());
  }

  /** @return whether the entry would change any field sync writes */
  boolean differsFrom(DirectoryEntry e) {
    return !Objects.equals(externalId, e.externalId()) || !Objects.equals(username, e.username())
        || !Objects.equals(ldapDn, e.dn()) || !Objects.equals(email, e.email())
        || !Objects.equals(firstName, e.firstName()) || !Objects.equals(lastName, e.lastName())
        || !Objects.equals(displayName, e.displayName()) || !Objects.equals(department, e.department())
        || !Objects.equals(employeeType, e.employeeType()) || !Objects.equals(manager, e.manager());
  }
}
