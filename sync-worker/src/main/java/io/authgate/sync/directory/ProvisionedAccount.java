package io.authgate.sync.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import io.authgate.core.directory.ldap.OpenLdapDialect;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An account as provisioning writes it to an OpenLDAP directory (inetOrgPerson attributes), and
 * the modifications that bring an entry in line with it. Immutable; nullable like the columns.
 *
 * @param id the account
 * @param username its username, the entry's {@code uid}
 * @param email mail
 * @param firstName givenName
 * @param lastName sn (the username when empty: sn is required)
 * @param displayName displayName
 * @param department departmentNumber
 * @param employeeType employeeType
 * @param status its lifecycle status
 * @param ldapDn its entry, or null before it was provisioned
 * @param updatedAt its last change
 */
record ProvisionedAccount(UUID id, String username, String email, String firstName, String lastName,
                          String displayName, String department, String employeeType, String status, String ldapDn,
                          OffsetDateTime updatedAt) {
  static final String COLUMNS = "u.resource_id, u.username, u.email, u.first_name, u.last_name, u.display_name, "
      + "u.department, u.employee_type, u.status, u.ldap_dn, u.updated_at";
  /** ppolicy's lock: provisioning sets {@link OpenLdapDialect#LOCKED_BY_ADMINISTRATOR} on a suspended account. */
  static final String LOCKED = OpenLdapDialect.PWD_ACCOUNT_LOCKED_TIME;

  static ProvisionedAccount of(Row row) {
    return new ProvisionedAccount(row.getUUID("resource_id"), row.getString("username"), row.getString("email"),
        row.getString("first_name"), row.getString("last_name"), row.getString("display_name"),
        row.getString("department"), row.getString("employee_type"), row.getString("status"), row.getString("ldap_dn"),
        row.getOffsetDateTime("updated_at"));
  }

  /** @return the attributes provisioning manages (uid, the naming attribute, is set once at creation) */
  Map<String, String> managed() {
    Map<String, String> values = new LinkedHashMap<>();
    String names = firstName != null && lastName != null ? firstName + " " + lastName : null;
    values.put("cn", displayName != null ? displayName : names != null ? names : username);
    values.put("sn", lastName != null ? lastName : username);
    values.put("givenName", firstName);
    values.put("mail", email);
    values.put("displayName", displayName);
    values.put("departmentNumber", department);
    values.put("employeeType", employeeType);
    return values;
  }

  /** @return the DN a new entry gets under {@code baseDn} */
  String newDn(String baseDn) throws LDAPException {
    return new DN(new RDN("uid", username), new DN(baseDn)).toString();
  }

  /** @return the new entry */
  Entry newEntry(String dn, List<String> objectClasses) {
    Entry entry = new Entry(dn);
    entry.addAttribute(new Attribute("objectClass", objectClasses));
    entry.addAttribute("uid", username);
    managed().forEach((name, value) -> {
      if (value != null) {
        entry.addAttribute(name, value);
      }
    });
    return entry;
  }

  /** @return what changes the entry to match the account's fields; empty when it already does */
  List<Modification> changes(Entry current) {
    List<Modification> changes = new ArrayList<>();
    managed().forEach((name, value) -> {
      String present = current.getAttributeValue(name);
      if (value == null && current.hasAttribute(name)) {
        changes.add(new Modification(ModificationType.DELETE, name));
      } else if (value != null && !Objects.equals(value, present)) {
        changes.add(new Modification(ModificationType.REPLACE, name, value));
      }
    });
    return changes;
  }

  /** @return the attributes {@link #changes} compares, and the lock */
  static String[] attributes() {
    return new String[] {"cn", "sn", "givenName", "mail", "displayName", "departmentNumber", "employeeType", LOCKED,
        "entryUUID"};
  }
}
