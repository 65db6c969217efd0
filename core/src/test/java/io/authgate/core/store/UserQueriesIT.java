package io.authgate.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.store.AccountException.Reason;
import io.authgate.core.store.UserQueries.Details;
import io.authgate.core.store.UserQueries.Filter;
import io.authgate.core.store.UserQueries.NewUser;
import io.authgate.core.store.UserQueries.Page;
import io.authgate.core.store.UserQueries.ProfileField;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Accounts as administrators list, create and change them, on a real PostgreSQL of this class's own. */
@ExtendWith(NoBlockedThreads.class)
class UserQueriesIT {
  private static TestStore store;
  private static Vertx vertx;
  private static Pool pool;
  private static UserQueries users;
  private static UUID hr;

  @BeforeAll
  static void start() {
    store = TestStore.start(4);
    vertx = store.vertx();
    pool = store.pool();
    users = new UserQueries(pool);
    hr = pool.query("INSERT INTO directories (name, kind, urls, base_dn) VALUES ('hr', 'openldap', '{ldap://x}', "
        + "'dc=x') RETURNING id").execute().await().iterator().next().getUUID("id");
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  private static Filter all(UUID after, int limit) {
    return new Filter(null, null, null, null, null, after, limit);
  }

  @Test
  void createdAccountsAreManualAndFoundWithTheirDirectoryAndProfile() {
    Details created = users.create(new NewUser(hr, "Carol", Map.of(ProfileField.EMAIL, "carol@hr.example",
        ProfileField.DEPARTMENT, "People"), AccountStatus.ACTIVE)).await();
    assertThat(created.provisioningMethod()).isEqualTo(ProvisioningMethod.MANUAL);
    assertThat(created.status()).isEqualTo(AccountStatus.ACTIVE);
    assertThat(created.directory()).isEqualTo("hr");
    assertThat(created.directoryId()).isEqualTo(hr);
    assertThat(created.profile()).containsEntry(ProfileField.DEPARTMENT, "People")
        .doesNotContainKey(ProfileField.MANAGER);
    assertThat(users.find(created.id()).await()).isEqualTo(created);
    assertThat(pool.preparedQuery("SELECT source_system, displayname FROM resources WHERE id = $1")
        .execute(Tuple.of(created.id())).await().iterator().next().getString("source_system")).isEqualTo("admin-api");

    assertThatThrownBy(() -> users.create(new NewUser(hr, "CAROL", Map.of(), AccountStatus.PENDING)).await())
        .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.USERNAME_TAKEN));
    assertThat(users.create(new NewUser(null, "carol", Map.of(), AccountStatus.PENDING)).await().directory()).isNull();
    assertThatThrownBy(() -> new NewUser(null, "x", Map.of(), AccountStatus.SUSPENDED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(users.directoryId("hr").await()).isEqualTo(hr);
    assertThat(users.directoryId("nope").await()).isNull();
  }

  @Test
  void patchSetsAndClearsOnlyTheFieldsNamed() {
    Details dave = users.create(new NewUser(null, "dave", Map.of(ProfileField.EMAIL, "dave@example.com",
        ProfileField.MANAGER, "carol"), AccountStatus.PENDING)).await();
    Map<ProfileField, String> changes = new HashMap<>();
    changes.put(ProfileField.MANAGER, null);
    changes.put(ProfileField.EMPLOYEE_TYPE, "contractor");
    Details patched = users.patch(dave.id(), changes).await();
    assertThat(patched.profile()).isEqualTo(Map.of(ProfileField.EMAIL, "dave@example.com",
        ProfileField.EMPLOYEE_TYPE, "contractor"));
    assertThat(patched.updatedAt()).isAfterOrEqualTo(dave.updatedAt());
    assertThat(users.patch(UUID.randomUUID(), Map.of(ProfileField.EMAIL, "x@y.z")).await()).isNull();
  }

  @Test
  void pagesFollowIdsAndFiltersCombine() {
    for (int i = 0; i < 9; i++) {
      String shown = "Pager_" + (i % 2 == 0 ? "Even" : "Odd");
      users.create(new NewUser(hr, "page" + i, Map.of(ProfileField.DISPLAY_NAME, shown),
          i < 3 ? AccountStatus.ACTIVE : AccountStatus.PENDING)).await();
    }
    List<UUID> walked = new ArrayList<>();
    UUID after = null;
    Page page;
    do {
      page = users.list(all(after, 4)).await();
      page.items().forEach(u -> walked.add(u.id()));
      after = page.items().isEmpty() ? null : page.items().get(page.items().size() - 1).id();
    } while (page.more());
    List<UUID> expected = new ArrayList<>();
    pool.query("SELECT resource_id FROM users ORDER BY resource_id").execute().await()
        .forEach(row -> expected.add(row.getUUID(0)));
    assertThat(walked).isEqualTo(expected);

    Page evenActive = users.list(new Filter(AccountStatus.ACTIVE, null, "hr", ProvisioningMethod.MANUAL, "_even",
        null, 50)).await();
    assertThat(evenActive.items()).extracting(Details::username).containsExactlyInAnyOrder("page0", "page2");
    assertThat(evenActive.more()).isFalse();
    // LIKE's wildcards in the text are literal: "_" does not match any one character.
    assertThat(users.list(new Filter(null, null, null, null, "page_", null, 50)).await().items()).isEmpty();
    assertThatThrownBy(() -> all(null, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> all(null, UserQueries.MAX_PAGE + 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void softDeletedAccountsAreNeitherListedNorFound() {
    Details gone = users.create(new NewUser(null, "gone", Map.of(), AccountStatus.PENDING)).await();
    pool.preparedQuery("UPDATE resources SET deleted = true, deleted_at = now() WHERE id = $1")
        .execute(Tuple.of(gone.id())).await();
    assertThat(users.find(gone.id()).await()).isNull();
    assertThat(users.list(new Filter(null, null, null, null, "gone", null, 50)).await().items()).isEmpty();
    assertThat(users.patch(gone.id(), Map.of(ProfileField.EMAIL, "x@y.z")).await()).isNull();
  }
}
