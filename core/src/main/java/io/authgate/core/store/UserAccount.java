package io.authgate.core.store;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One account: a row of {@code users} with the deleted flag of its resource. Immutable.
 *
 * @param id the resource id
 * @param directoryId the directory it belongs to; null for accounts of no directory (SSO, import)
 * @param username its username
 * @param email its email; may be null
 * @param firstName may be null
 * @param lastName may be null
 * @param displayName may be null
 * @param department may be null
 * @param status where it is in its lifecycle
 * @param provisioningMethod how it came to exist
 * @param accountKind what kind of account it is
 * @param ldapDn its DN in its directory; may be null
 * @param samlIssuer the entity ID of the IdP naming it; null when not linked to a SAML subject
 * @param samlNameId the NameID that IdP names it by; null exactly when {@code samlIssuer} is
 * @param lastLoginAt its last sign-in; null before the first
 * @param createdAt when it was created
 * @param updatedAt when the account itself last changed
 * @param deleted whether its resource is soft-deleted
 */
public record UserAccount(
    UUID id, UUID directoryId, String username, String email, String firstName, String lastName,
    String displayName, String department, AccountStatus status, ProvisioningMethod provisioningMethod,
    AccountKind accountKind, String ldapDn, String samlIssuer, String samlNameId, Instant lastLoginAt,
    Instant createdAt, Instant updatedAt, boolean deleted) {

  /** The columns {@link #fromRow} reads, for {@code SELECT ... FROM users u JOIN resources r}. */
  static final String COLUMNS = """
      u.resource_id, u.directory_id, u.username, u.email, u.first_name, u.last_name, u.display_name,
      u.department, u.status, u.provisioning_method, u.account_kind, u.ldap_dn, u.saml_issuer,
      u.saml_name_id, u.last_login_at, u.created_at, u.updated_at, r.deleted""";

  /** @return whether this account may sign in now: active and not deleted */
  public boolean maySignIn() {
    return status.allowsSignIn() && !deleted;
  }

  static UserAccount fromRow(Row row) {
    return new UserAccount(row.getUUID("resource_id"), row.getUUID("directory_id"), row.getString("username"),
        row.getString("email"), row.getString("first_name"), row.getString("last_name"),
        row.getString("display_name"), row.getString("department"), AccountStatus.of(row.getString("status")),
        ProvisioningMethod.of(row.getString("provisioning_method")), AccountKind.of(row.getString("account_kind")),
        row.getString("ldap_dn"), row.getString("saml_issuer"), row.getString("saml_name_id"),
        instant(row.getOffsetDateTime("last_login_at")), instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")), row.getBoolean("deleted"));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
