package io.authgate.sync.directory;

import java.util.List;
import java.util.UUID;

/**
 * What sync does with one page of entries. Immutable.
 *
 * @param creates entries that become new accounts
 * @param updates accounts whose fields change, or that the directory disabled
 * @param touched accounts seen unchanged (only their last sync time moves)
 * @param conflicts entries left alone because matching them would be a guess
 * @param unchanged how many accounts were already as the directory has them
 * @param skipped entries not synced: no username or id, disabled and never synced, or deprovisioned
 * @param resumed entries this run had already handled before it was interrupted
 * @param noted keys of the entries skipped or conflicted here, which leave no mark in the store: a
 *     resumed run recognises them by these keys (see {@link UserPlanner#noteKey})
 */
record UserPlan(List<DirectoryEntry> creates, List<Update> updates, List<UUID> touched, List<Conflict> conflicts,
                int unchanged, int skipped, int resumed, List<String> noted) {

  /**
   * An account to change.
   *
   * @param id the account
   * @param entry what the directory has
   * @param fieldsChanged whether any field changes (else only the status)
   * @param suspend whether to suspend it (the directory disabled it)
   */
  record Update(UUID id, DirectoryEntry entry, boolean fieldsChanged, boolean suspend) {}

  /**
   * An entry not synced because matching it would be a guess.
   *
   * @param username its username
   * @param dn its DN
   * @param reason why: {@code username-in-another-directory}, {@code identifier-clash}, {@code username-clash},
   *     {@code duplicate-username}
   */
  record Conflict(String username, String dn, String reason) {}

  /** @return how many accounts are updated (fields changed) */
  long updated() {
    return updates.stream().filter(Update::fieldsChanged).count();
  }

  /** @return how many accounts are suspended because the directory disabled them */
  long deactivated() {
    return updates.stream().filter(Update::suspend).count();
  }
}
