package io.authgate.core.directory.ldap;

import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.util.List;

/**
 * A server's complete answer to one request: the entries of a search (none for other operations)
 * and the final result with its controls. Immutable.
 *
 * @param entries search result entries, in the order received; references are dropped (never followed)
 * @param result the final result
 */
record LdapReply(List<SearchResultEntry> entries, LDAPResult result) {

  /** @return the final result code */
  ResultCode code() {
    return result.getResultCode();
  }
}
