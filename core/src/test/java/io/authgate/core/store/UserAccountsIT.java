package io.authgate.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.store.AccountException.Reason;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Accounts for single sign-on, on a real PostgreSQL with a database of this class's own. */
@ExtendWith(NoBlockedThreads.class)
class UserAccountsIT {
  private static final String OKTA = "http://www.okta.com/exk1";
  private static final String ENTRA = "https://sts.windows.net/tenant/";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static TestStore store;
  private static Vertx vertx;
  private static Pool pool;
  private static UserAccounts accounts;

  @BeforeAll
  static void start() {
    store = TestStore.start(8);
    vertx = store.vertx();
    pool = store.pool();
    accounts = new UserAccounts(pool);
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  private static String unique(String prefix) {
    return prefix + SEQUENCE.incrementAndGet();
  }

  /** Inserts an account the way an administrator or sync would, without a SAML subject. */
  private static UUID insertAccount(String username, String email, String status, boolean deleted) {
    UUID id = pool.preparedQuery("INSERT INTO resources (type, identifier, deleted, deleted_at) "
            + "VALUES ('user', $1, $2, CASE WHEN $2 THEN now() END) RETURNING id")
        .execute(Tuple.of(username, deleted)).await().iterator().next().getUUID("id");
    pool.preparedQuery("INSERT INTO users (resource_id, username, email, status, provisioning_method) "
        + "VALUES ($1, $2, $3, $4, 'manual')").execute(Tuple.of(id, username, email, status)).await();
    return id;
  }

  private static Row userRow(UUID id) {
    return pool.preparedQuery("SELECT * FROM users WHERE resource_id = $1").execute(Tuple.of(id)).await()
        .iterator().next();
  }

  private static long count(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.from(params)).await().iterator().next().getLong(0);
  }

  @Test
  void aFirstSignInCreatesAnActiveSsoAccountThatTheSubjectFindsAgain() {
    String nameId = unique("00u-alice-");
    UserAccount created = accounts.provisionJit(OKTA, nameId, "Alice@Example.com", unique("alice"), "Alice",
        "Liddell", "Alice Liddell").await();

    assertThat(created.status()).isEqualTo(AccountStatus.ACTIVE);
    assertThat(created.provisioningMethod()).isEqualTo(ProvisioningMethod.SSO_JIT);
    assertThat(created.accountKind()).isEqualTo(AccountKind.NATIVE);
    assertThat(created.directoryId()).isNull();
    assertThat(created.email()).isEqualTo("Alice@Example.com");
    assertThat(created.firstName()).isEqualTo("Alice");
    assertThat(created.lastName()).isEqualTo("Liddell");
    assertThat(created.displayName()).isEqualTo("Alice Liddell");
    assertThat(created.samlIssuer()).isEqualTo(OKTA);
    assertThat(created.samlNameId()).isEqualTo(nameId);
    assertThat(created.lastLoginAt()).isNull();
    assertThat(created.maySignIn()).isTrue();

    assertThat(accounts.findBySamlSubject(OKTA, nameId).await()).isEqualTo(created);
    assertThat(accounts.findById(created.id()).await()).isEqualTo(created);
    assertThat(accounts.findBySamlSubject(ENTRA, nameId).await()).as("same NameID, another IdP").isNull();
    assertThat(accounts.findBySamlSubject(OKTA, nameId.toUpperCase()).await()).as("NameIDs are exact").isNull();

    Row resource = pool.preparedQuery("SELECT * FROM resources WHERE id = $1").execute(Tuple.of(created.id()))
        .await().iterator().next();
    assertThat(resource.getString("type")).isEqualTo("user");
    assertThat(resource.getString("displayname")).isEqualTo("Alice Liddell");
    assertThat(resource.getString("identifier")).isEqualTo(created.username());
    assertThat(resource.getString("source_system")).isEqualTo(OKTA);
    assertThat(resource.getBoolean("deleted")).isFalse();
  }

  @Test
  void aSecondProvisioningOfTheSameSubjectReturnsTheFirstAccount() {
    String nameId = unique("sub-");
    UserAccount first = accounts.provisionJit(OKTA, nameId, null, unique("bob"), null, null, null).await();
    UserAccount second = accounts.provisionJit(OKTA, nameId, "other@example.com", unique("bobby"), "B", "C", "D")
        .await();
    assertThat(second).isEqualTo(first);
    assertThat(first.email()).isNull();
    assertThat(count("SELECT count(*) FROM resources WHERE source_system = $1 AND identifier LIKE 'bob%'", OKTA))
        .as("no resource left behind by the losing insert").isEqualTo(1);
  }

  @Test
  void manyConcurrentFirstSignInsOfOneSubjectEndWithOneAccount() {
    String nameId = unique("race-");
    String username = unique("racer");
    List<Future<UserAccount>> attempts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Each attempt on an event loop, as the ACS would call it, 8 connections racing.
      attempts.add(vertx.executeBlocking(() -> null, false).compose(v -> accounts.provisionJit(ENTRA, nameId,
          "racer@example.com", username, "Race", "R", null)));
    }
    Future.all(attempts).await();

    List<UUID> ids = attempts.stream().map(f -> f.result().id()).distinct().toList();
    assertThat(ids).hasSize(1);
    assertThat(count("SELECT count(*) FROM users WHERE saml_issuer = $1 AND saml_name_id = $2", ENTRA, nameId))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM resources WHERE identifier = $1", username))
        .as("every losing transaction rolled back its resource").isEqualTo(1);
  }

  @Test
  void aUsernameHeldByAnotherAccountIsRefusedAndLeavesNothingBehind() {
    String username = unique("carol");
    accounts.provisionJit(OKTA, unique("carol-okta-"), null, username, null, null, null).await();
    String other = unique("carol-entra-");

    assertThatThrownBy(() -> accounts.provisionJit(ENTRA, other, null, username.toUpperCase(), null, null, null)
        .await()).isInstanceOfSatisfying(AccountException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.USERNAME_TAKEN));
    assertThat(accounts.findBySamlSubject(ENTRA, other).await()).isNull();
    assertThat(count("SELECT count(*) FROM resources WHERE lower(identifier) = lower($1)", username)).isEqualTo(1);
  }

  @Test
  void emailFindsOneAccountCaseInsensitivelyAndRefusesToGuessBetweenSeveral() {
    String domain = unique("d") + ".example.com";
    UUID dave = insertAccount(unique("dave"), "Dave@" + domain, "active", false);
    assertThat(accounts.findByEmail("dave@" + domain.toUpperCase()).await().id()).isEqualTo(dave);
    assertThat(accounts.findByEmail("nobody@" + domain).await()).isNull();
    assertThat(accounts.findByEmail(null).await()).isNull();
    assertThat(accounts.findByEmail(" ").await()).isNull();

    insertAccount(unique("erin"), "shared@" + domain, "active", false);
    insertAccount(unique("frank"), "SHARED@" + domain, "suspended", false);
    assertThatThrownBy(() -> accounts.findByEmail("shared@" + domain).await())
        .isInstanceOfSatisfying(AccountException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.AMBIGUOUS_EMAIL);
          assertThat(e.getMessage()).doesNotContain(domain);
        });

    UUID gone = insertAccount(unique("gone"), "former@" + domain, "deprovisioned", true);
    UUID kept = insertAccount(unique("kept"), "former@" + domain, "active", false);
    assertThat(gone).isNotEqualTo(kept);
    assertThat(accounts.findByEmail("former@" + domain).await().id()).as("deleted accounts do not count")
        .isEqualTo(kept);
  }

  @Test
  void anAccountFoundByEmailIsLinkedToTheSubjectOnceAndOnlyToOne() {
    UUID grace = insertAccount(unique("grace"), unique("grace") + "@example.com", "active", false);
    String nameId = unique("grace-");

    UserAccount linked = accounts.linkSamlSubject(grace, OKTA, nameId).await();
    assertThat(linked.id()).isEqualTo(grace);
    assertThat(linked.samlIssuer()).isEqualTo(OKTA);
    assertThat(linked.samlNameId()).isEqualTo(nameId);
    assertThat(linked.provisioningMethod()).isEqualTo(ProvisioningMethod.MANUAL);
    assertThat(accounts.findBySamlSubject(OKTA, nameId).await().id()).isEqualTo(grace);
    assertThat(accounts.linkSamlSubject(grace, OKTA, nameId).await()).as("linking again changes nothing")
        .isEqualTo(linked);

    assertThatThrownBy(() -> accounts.linkSamlSubject(grace, ENTRA, unique("g-")).await())
        .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_LINKED));
    UUID heidi = insertAccount(unique("heidi"), null, "active", false);
    assertThatThrownBy(() -> accounts.linkSamlSubject(heidi, OKTA, nameId).await())
        .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SUBJECT_TAKEN));
    assertThat(userRow(heidi).getString("saml_issuer")).isNull();
    assertThatThrownBy(() -> accounts.linkSamlSubject(UUID.randomUUID(), OKTA, unique("x-")).await())
        .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    assertThat(accounts.findBySamlSubject(OKTA, nameId).await().id()).isEqualTo(grace);
  }

  @Test
  void signInsAreRecordedWithoutMovingTheAccountsChangeWatermark() throws InterruptedException {
    UserAccount ivan = accounts.provisionJit(OKTA, unique("ivan-"), null, unique("ivan"), null, null, null).await();
    UserAccount judy = accounts.provisionJit(OKTA, unique("judy-"), null, unique("judy"), null, null, null).await();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Thread.sleep(20);
    assertThat(accounts.recordLogins(Map.of(ivan.id(), at, judy.id(), at.plusSeconds(1), UUID.randomUUID(), at))
        .await()).as("accounts found; one that is not there is skipped").isEqualTo(2);
    UserAccount after = accounts.findById(ivan.id()).await();
    assertThat(after.lastLoginAt()).isEqualTo(at);
    assertThat(accounts.findById(judy.id()).await().lastLoginAt()).isEqualTo(at.plusSeconds(1));
    assertThat(after.updatedAt()).as("a login is not a change of the account").isEqualTo(ivan.updatedAt());

    accounts.recordLogins(Map.of(ivan.id(), at.minusSeconds(3600))).await();
    assertThat(accounts.findById(ivan.id()).await().lastLoginAt()).as("never moves back").isEqualTo(at);

    pool.preparedQuery("UPDATE users SET department = 'R&D' WHERE resource_id = $1").execute(Tuple.of(ivan.id()))
        .await();
    assertThat(accounts.findById(ivan.id()).await().updatedAt()).isAfter(ivan.updatedAt());
    assertThat(accounts.recordLogins(Map.of()).await()).isZero();
  }

  @Test
  void onlyAnActiveUndeletedAccountMaySignIn() {
    for (String status : List.of("pending", "active", "suspended", "deprovisioned")) {
      for (boolean deleted : List.of(false, true)) {
        UUID id = insertAccount(unique("s"), null, status, deleted);
        String nameId = unique("st-");
        accounts.linkSamlSubject(id, OKTA, nameId).await();
        UserAccount found = accounts.findBySamlSubject(OKTA, nameId).await();
        assertThat(found.status()).isEqualTo(AccountStatus.of(status));
        assertThat(found.deleted()).isEqualTo(deleted);
        assertThat(found.maySignIn()).as(status + (deleted ? ", deleted" : ""))
            .isEqualTo(status.equals("active") && !deleted);
      }
    }
  }

  @Test
  void theSchemaRefusesUnknownStatusesAndHalfASamlSubject() {
    UUID id = insertAccount(unique("judy"), null, "active", false);
    assertThatThrownBy(() -> pool.preparedQuery("UPDATE users SET status = 'locked' WHERE resource_id = $1")
        .execute(Tuple.of(id)).await()).hasMessageContaining("users_status_check");
    assertThatThrownBy(() -> pool.preparedQuery("UPDATE users SET provisioning_method = 'ldap' WHERE resource_id = $1")
        .execute(Tuple.of(id)).await()).hasMessageContaining("users_provisioning_method_check");
    assertThatThrownBy(() -> pool.preparedQuery("UPDATE users SET saml_issuer = 'x' WHERE resource_id = $1")
        .execute(Tuple.of(id)).await()).hasMessageContaining("users_saml_subject_check");
    assertThatThrownBy(() -> pool.preparedQuery("UPDATE resources SET deleted = true WHERE id = $1")
        .execute(Tuple.of(id)).await()).hasMessageContaining("resources_deleted_at_check");
    assertThat(userRow(id).getString("status")).isEqualTo("active");
  }

  @Test
  void identityProvidersNeedAUsableSlugTheirMetadataAndAnEntityIdOfTheirOwn() {
    String insert = "INSERT INTO identity_providers (slug, display_name, entity_id, metadata_source, "
        + "metadata_location, metadata_xml) VALUES ($1, $2, $3, $4, $5, $6)";
    pool.preparedQuery(insert).execute(Tuple.of("okta", "Okta", OKTA, "url", "https://okta.example/metadata", null))
        .await();
    assertThatThrownBy(() -> pool.preparedQuery(insert)
        .execute(Tuple.of("okta-2", "Okta again", OKTA, "inline", null, "<EntityDescriptor/>")).await())
        .hasMessageContaining("identity_providers_entity_id_key");
    assertThatThrownBy(() -> pool.preparedQuery(insert)
        .execute(Tuple.of("Bad Slug", "Bad", "urn:bad", "inline", null, "<EntityDescriptor/>")).await())
        .hasMessageContaining("identity_providers_slug_check");
    assertThatThrownBy(() -> pool.preparedQuery(insert)
        .execute(Tuple.of("entra", "Entra ID", ENTRA, "inline", null, null)).await())
        .hasMessageContaining("identity_providers_metadata_check");
    Row okta = pool.query("SELECT * FROM identity_providers").execute().await().iterator().next();
    assertThat(okta.getString("slug")).isEqualTo("okta");
    assertThat(okta.getBoolean("enabled")).isTrue();
    assertThat(okta.getString("source")).isEqualTo("config");
    assertThat(okta.getJsonObject("settings").isEmpty()).isTrue();
  }
}
