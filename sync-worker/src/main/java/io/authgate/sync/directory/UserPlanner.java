package io.authgate.sync.directory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides what one page of directory entries does to the store, from the accounts that might match
 * them. Entries match by stable id, then by username within the directory; a username another
 * directory (or a local account) holds, or a username match whose account carries another stable
 * id, is a conflict, reported and not guessed. Pure logic. Thread-safe.
 */
final class UserPlanner {
  static final String ACTIVE = "active";
  static final String SUSPENDED = "suspended";
  static final String DEPROVISIONED = "deprovisioned";

  private final UUID directoryId;
  private final Instant runStart;

  /**
   * @param directoryId the directory synced
   * @param runStart when this run began: an account synced since was handled before an interruption
   */
  UserPlanner(UUID directoryId, Instant runStart) {
    this.directoryId = directoryId;
    this.runStart = runStart;
  }

  /**
   * @param entries the page's entries
   * @param candidates accounts of this directory with the entries' ids or usernames, and accounts of
   *     any other directory (or none) with their usernames
   */
  UserPlan plan(List<DirectoryEntry> entries, List<StoredUser> candidates) {
    Map<String, StoredUser> byId = new HashMap<>();
    Map<String, StoredUser> byName = new HashMap<>();
    Map<String, StoredUser> elsewhere = new HashMap<>();
    for (StoredUser u : candidates) {
      if (directoryId.equals(u.directoryId())) {
        if (u.externalId() != null) {
          byId.put(u.externalId(), u);
        }
        byName.put(key(u.username()), u);
      } else {
        elsewhere.putIfAbsent(key(u.username()), u);
      }
    }
    List<DirectoryEntry> creates = new ArrayList<>();
    List<UserPlan.Update> updates = new ArrayList<>();
    List<UUID> touched = new ArrayList<>();
    List<UserPlan.Conflict> conflicts = new ArrayList<>();
    Set<String> namesInPage = new HashSet<>();
    int unchanged = 0;
    int skipped = 0;
    int resumed = 0;
    for (DirectoryEntry e : entries) {
      if (e.username() == null || e.username().isBlank() || e.externalId() == null) {
        skipped++;
        continue;
      }
      String name = key(e.username());
      if (!namesInPage.add(name)) {
        conflicts.add(new UserPlan.Conflict(e.username(), e.dn(), "duplicate-username"));
        continue;
      }
      StoredUser match = byId.get(e.externalId());
      if (match == null) {
        StoredUser named = byName.get(name);
        if (named != null && named.externalId() != null) {
          conflicts.add(new UserPlan.Conflict(e.username(), e.dn(), "identifier-clash"));
          continue;
        }
        match = named;
      } else {
        StoredUser holder = byName.get(name);
        if (holder != null && !holder.id().equals(match.id())) {
          conflicts.add(new UserPlan.Conflict(e.username(), e.dn(), "username-clash"));
          continue;
        }
      }
      if (match == null) {
        if (elsewhere.containsKey(name)) {
          conflicts.add(new UserPlan.Conflict(e.username(), e.dn(), "username-in-another-directory"));
        } else if (e.disabled()) {
          skipped++;
        } else {
          creates.add(e);
        }
        continue;
      }
      if (match.lastSyncAt() != null && !match.lastSyncAt().isBefore(runStart)) {
        resumed++;
        continue;
      }
      if (DEPROVISIONED.equals(match.status())) {
        skipped++;
        continue;
      }
      boolean changed = match.differsFrom(e);
      boolean suspend = e.disabled() && ACTIVE.equals(match.status());
      if (changed || suspend) {
        updates.add(new UserPlan.Update(match.id(), e, changed, suspend));
      } else {
        unchanged++;
        touched.add(match.id());
      }
    }
    return new UserPlan(List.copyOf(creates), List.copyOf(updates), List.copyOf(touched), List.copyOf(conflicts),
        unchanged, skipped, resumed);
  }

  static String key(String username) {
    return username.trim().toLowerCase(Locale.ROOT);
  }
}
