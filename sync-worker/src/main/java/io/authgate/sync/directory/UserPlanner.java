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
  static final String DEPROVISIONED = "deprovisioned";

  private final UUID directoryId;
  private final Instant runStart;
  private final Set<String> noted;

  /**
   * @param directoryId the directory synced
   * @param runStart when this run began: an account synced since was handled before an interruption
   * @param noted keys of entries this run skipped or found conflicting before an interruption
   */
  UserPlanner(UUID directoryId, Instant runStart, Set<String> noted) {
    this.directoryId = directoryId;
    this.runStart = runStart;
    this.noted = noted;
  }

  /** The plan being built for one page. */
  private static final class Builder {
    final Map<String, StoredUser> byId = new HashMap<>();
    final Map<String, StoredUser> byName = new HashMap<>();
    final Map<String, StoredUser> elsewhere = new HashMap<>();
    final Set<String> namesInPage = new HashSet<>();
    final List<DirectoryEntry> creates = new ArrayList<>();
    final List<UserPlan.Update> updates = new ArrayList<>();
    final List<UUID> touched = new ArrayList<>();
    final List<UserPlan.Conflict> conflicts = new ArrayList<>();
    final List<String> noted = new ArrayList<>();
    int unchanged;
    int skipped;
    int resumed;

    void skip(DirectoryEntry e) {
      skipped++;
      noted.add(noteKey(e));
    }

    void conflict(DirectoryEntry e, String reason) {
      conflicts.add(new UserPlan.Conflict(e.username(), e.dn(), reason));
      noted.add(noteKey(e));
    }
  }

  /**
   * @param entries the page's entries
   * @param candidates accounts of this directory with the entries' ids or usernames, and accounts of
   *     any other directory (or none) with their usernames
   */
  UserPlan plan(List<DirectoryEntry> entries, List<StoredUser> candidates) {
    Builder b = new Builder();
    for (StoredUser u : candidates) {
      if (directoryId.equals(u.directoryId())) {
        if (u.externalId() != null) {
          b.byId.put(u.externalId(), u);
        }
        b.byName.put(key(u.username()), u);
      } else {
        b.elsewhere.putIfAbsent(key(u.username()), u);
      }
    }
    for (DirectoryEntry e : entries) {
      if (noted.contains(noteKey(e))) {
        b.resumed++;
      } else if (e.username() == null || e.username().isBlank() || e.externalId() == null) {
        b.skip(e);
      } else if (!b.namesInPage.add(key(e.username()))) {
        b.conflict(e, "duplicate-username");
      } else {
        plan(e, b);
      }
    }
    return new UserPlan(List.copyOf(b.creates), List.copyOf(b.updates), List.copyOf(b.touched),
        List.copyOf(b.conflicts), b.unchanged, b.skipped, b.resumed, List.copyOf(b.noted));
  }

  private void plan(DirectoryEntry e, Builder b) {
    String name = key(e.username());
    StoredUser match = b.byId.get(e.externalId());
    StoredUser named = b.byName.get(name);
    if (match == null && named != null && named.externalId() != null) {
      b.conflict(e, "identifier-clash");
      return;
    }
    if (match != null && named != null && !named.id().equals(match.id())) {
      b.conflict(e, "username-clash");
      return;
    }
    match = match != null ? match : named;
    if (match == null) {
      if (b.elsewhere.containsKey(name)) {
        b.conflict(e, "username-in-another-directory");
      } else if (e.disabled()) {
        b.skip(e);
      } else {
        b.creates.add(e);
      }
      return;
    }
    if (match.lastSyncAt() != null && !match.lastSyncAt().isBefore(runStart)) {
      b.resumed++;
    } else if (DEPROVISIONED.equals(match.status())) {
      b.skip(e);
    } else {
      boolean changed = match.differsFrom(e);
      boolean suspend = e.disabled() && ACTIVE.equals(match.status());
      if (changed || suspend) {
        b.updates.add(new UserPlan.Update(match.id(), e, changed, suspend));
      } else {
        b.unchanged++;
        b.touched.add(match.id());
      }
    }
  }

  /** @return how a skipped or conflicting entry is recognised when a run resumes */
  static String noteKey(DirectoryEntry e) {
    return e.externalId() != null ? e.externalId() : "dn:" + e.dn().toLowerCase(Locale.ROOT);
  }

  static String key(String username) {
    return username.trim().toLowerCase(Locale.ROOT);
  }
}
