package io.authgate.sync.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserPlannerTest {
  private static final UUID CORP = UUID.randomUUID();
  private static final UUID LAB = UUID.randomUUID();
  private static final Instant RUN = Instant.parse("2026-01-01T10:00:00Z");
  private final UserPlanner planner = new UserPlanner(CORP, RUN, Set.of());

  private static DirectoryEntry entry(String id, String username, String email, boolean disabled) {
    return new DirectoryEntry("uid=" + username + ",ou=people,dc=x", id, username, email, null, "Last", username,
        null, null, null, disabled, "20260101000000Z");
  }

  private static StoredUser stored(UUID directory, String id, String username, String email, String status,
                                   Instant lastSync) {
    return new StoredUser(UUID.randomUUID(), directory, id, username, "uid=" + username + ",ou=people,dc=x", email,
        null, "Last", username, null, null, null, status, lastSync);
  }

  @Test
  void newEntriesAreCreatedAndUnchangedOnesOnlyTouched() {
    StoredUser bob = stored(CORP, "id-bob", "bob", "bob@x", "active", null);
    UserPlan plan = planner.plan(List.of(entry("id-alice", "alice", "alice@x", false), entry("id-bob", "bob", "bob@x",
        false)), List.of(bob));
    assertThat(plan.creates()).extracting(DirectoryEntry::username).containsExactly("alice");
    assertThat(plan.touched()).containsExactly(bob.id());
    assertThat(plan.unchanged()).isEqualTo(1);
    assertThat(plan.updates()).isEmpty();
  }

  @Test
  void aChangedOrDisabledEntryUpdatesItsAccountFoundByIdEvenWhenRenamed() {
    StoredUser bob = stored(CORP, "id-bob", "bob", "bob@x", "active", null);
    UserPlan plan = planner.plan(List.of(entry("id-bob", "robert", "bob@x", true)), List.of(bob));
    assertThat(plan.updates()).singleElement().satisfies(u -> {
      assertThat(u.id()).isEqualTo(bob.id());
      assertThat(u.fieldsChanged()).isTrue();
      assertThat(u.suspend()).isTrue();
    });
    assertThat(plan.deactivated()).isEqualTo(1);
  }

  @Test
  void anAccountWithoutIdIsAdoptedByUsernameIgnoringCase() {
    StoredUser manual = stored(CORP, null, "Carol", null, "active", null);
    UserPlan plan = planner.plan(List.of(entry("id-carol", "carol", "carol@x", false)), List.of(manual));
    assertThat(plan.updates()).singleElement().satisfies(u -> assertThat(u.id()).isEqualTo(manual.id()));
    assertThat(plan.creates()).isEmpty();
  }

  @Test
  void clashesAreConflictsNotGuesses() {
    List<StoredUser> store = List.of(stored(CORP, "other-id", "bob", null, "active", null),
        stored(LAB, "lab-id", "carol", null, "active", null), stored(null, null, "dave", null, "active", null),
        stored(CORP, "id-erin", "erin", null, "active", null), stored(CORP, "id-frank", "frank", null, "active", null));
    UserPlan plan = planner.plan(List.of(entry("id-bob", "bob", null, false), entry("id-carol", "carol", null, false),
        entry("id-dave", "dave", null, false), entry("id-erin", "frank", null, false),
        entry("id-gina", "gina", null, false), entry("id-gina2", "GINA", null, false)), store);
    assertThat(plan.conflicts()).extracting(c -> c.username() + ":" + c.reason()).containsExactly(
        "bob:identifier-clash", "carol:username-in-another-directory", "dave:username-in-another-directory",
        "frank:username-clash", "GINA:duplicate-username");
    assertThat(plan.creates()).extracting(DirectoryEntry::username).containsExactly("gina");
    assertThat(plan.noted()).containsExactly("id-bob", "id-carol", "id-dave", "id-erin", "id-gina2");
  }

  @Test
  void disabledNewEntriesDeprovisionedAccountsAndEntriesWithoutIdAreSkipped() {
    StoredUser gone = stored(CORP, "id-gone", "gone", null, "deprovisioned", null);
    UserPlan plan = planner.plan(List.of(entry("id-x", "x", null, true), entry("id-gone", "gone", "new@x", false),
        entry(null, "noid", null, false)), List.of(gone));
    assertThat(plan.skipped()).isEqualTo(3);
    assertThat(plan.creates()).isEmpty();
    assertThat(plan.updates()).isEmpty();
  }

  @Test
  void aResumedRunPassesOverWhatItHandledBeforeTheInterruption() {
    UserPlanner resumed = new UserPlanner(CORP, RUN, Set.of("id-skipped"));
    StoredUser synced = stored(CORP, "id-done", "done", "changed@x", "active", RUN.plusSeconds(5));
    UserPlan plan = resumed.plan(List.of(entry("id-done", "done", "done@x", false),
        entry("id-skipped", "skipped", null, true)), List.of(synced));
    assertThat(plan.resumed()).isEqualTo(2);
    assertThat(plan.updates()).isEmpty();
    assertThat(plan.skipped()).isZero();
  }
}
