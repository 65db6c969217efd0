package io.authgate.core.config;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;

/** Checks LDAP values in configuration with the SDK's own parsers, so a typo fails at start. */
final class LdapSyntax {
  private LdapSyntax() {}

  static String dn(String value) {
    try {
      new DN(value);
      return value;
    } catch (LDAPException e) {
      throw new IllegalArgumentException("\"" + value + "\" is not a valid DN");
    }
  }

  /** Checks a filter template by filling its placeholders with a harmless value. */
  static String filterTemplate(String value) {
    try {
      Filter.create(value.replace("{username}", "x").replace("{dn}", "cn=x"));
      return value;
    } catch (LDAPException e) {
      throw new IllegalArgumentException("\"" + value + "\" is not a valid LDAP filter");
    }
  }

  static String url(String value) {
    try {
      LDAPURL url = new LDAPURL(value);
      if (!url.getScheme().equals("ldap") && !url.getScheme().equals("ldaps")) {
        throw new IllegalArgumentException("\"" + value + "\" is not an ldap:// or ldaps:// URL");
      }
      return value;
    } catch (LDAPException e) {
      throw new IllegalArgumentException("\"" + value + "\" is not an ldap:// or ldaps:// URL");
    }
  }
}
