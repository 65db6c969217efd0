package io.authgate.sync.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.DirectoryKind;

/**
 * How one kind of directory names what sync reads: the attributes of a user entry, the stable id,
 * disabled accounts, and the change stamp incremental sync filters on. Implementations are
 * immutable and thread-safe.
 */
interface EntryMapping {
  /** @return the mapping for the directory's kind */
  static EntryMapping of(DirectoryConfig directory) {
    return directory.kind() == DirectoryKind.ACTIVE_DIRECTORY
        ? new ActiveDirectoryMapping(directory.attributes()) : new OpenLdapMapping(directory.attributes());
  }

  /** @return the attributes a user search asks for */
  String[] userAttributes();

  /** @return the entry as sync sees it */
  DirectoryEntry user(SearchResultEntry entry);

  /** @return the attribute holding the stable id */
  String idAttribute();

  /** @return the stable id of any entry (a group, say) as a UUID string, or null */
  String id(SearchResultEntry entry);

  /** @return a filter for entries changed at or after the watermark */
  Filter changedSince(String watermark);

  /** @return the later of two change stamps; either may be null */
  String later(String a, String b);
}
