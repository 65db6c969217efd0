package io.authgate.sync.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.directory.ldap.OpenLdapDialect;

/**
 * OpenLDAP (and other RFC 4530 directories): entryUUID, modifyTimestamp, and ppolicy's
 * administrative lock ({@code pwdAccountLockedTime: 000001010000Z}) for a disabled account. A lock
 * after failed binds is not: it ends with the policy's duration, as Active Directory's
 * {@code lockoutTime} does, while a suspension lasts until an administrator lifts it.
 */
final class OpenLdapMapping implements EntryMapping {
  private static final String ENTRY_UUID = "entryUUID";
  private static final String MODIFIED = "modifyTimestamp";
  private static final String LOCKED = OpenLdapDialect.PWD_ACCOUNT_LOCKED_TIME;
  private final DirectoryConfig.Attributes attributes;

  OpenLdapMapping(DirectoryConfig.Attributes attributes) {
    this.attributes = attributes;
  }

  @Override
  public String[] userAttributes() {
    return new String[] {attributes.username(), attributes.email(), attributes.displayName(), "cn", "givenName", "sn",
        "departmentNumber", "employeeType", "manager", ENTRY_UUID, MODIFIED, LOCKED};
  }

  @Override
  public DirectoryEntry user(SearchResultEntry e) {
    String display = e.getAttributeValue(attributes.displayName());
    return new DirectoryEntry(e.getDN(), e.getAttributeValue(ENTRY_UUID), e.getAttributeValue(attributes.username()),
        e.getAttributeValue(attributes.email()), e.getAttributeValue("givenName"), e.getAttributeValue("sn"),
        display != null ? display : e.getAttributeValue("cn"), e.getAttributeValue("departmentNumber"),
        e.getAttributeValue("employeeType"), e.getAttributeValue("manager"), OpenLdapDialect.lockedByAdministrator(e),
        e.getAttributeValue(MODIFIED));
  }

  @Override
  public String idAttribute() {
    return ENTRY_UUID;
  }

  @Override
  public String id(SearchResultEntry entry) {
    return entry.getAttributeValue(ENTRY_UUID);
  }

  @Override
  public Filter changedSince(String watermark) {
    return Filter.createGreaterOrEqualFilter(MODIFIED, watermark);
  }

  @Override
  public String later(String a, String b) {
    // Generalized time in UTC with the same precision compares as text.
    return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
  }
}
