package io.authgate.core.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.config.Secret;
import io.authgate.core.store.Postgres;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** API keys on a real PostgreSQL; the bootstrap tests run on databases of their own. */
@ExtendWith(NoBlockedThreads.class)
class ApiKeysIT {
  private static Vertx vertx;
  private static Pool pool;
  private static ApiKeys keys;

  @BeforeAll
  static void start() {
    vertx = TestVertx.create();
    pool = freshPool();
    keys = new ApiKeys(pool);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static Pool freshPool() {
    PgConnectOptions options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    // Not Postgres.pool: its pools are shared by name, and each bootstrap test needs a database of its own.
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
  }

  @Test
  void aCreatedKeyAuthenticatesWithItsRoleAndOnlyItsHashIsStored() {
    IssuedApiKey issued = keys.create("ci pipeline", ApiKeyRole.OPERATOR, null, "alice").await();

    assertThat(issued.toString()).doesNotContain(issued.plaintext());
    ApiKey key = keys.authenticate(issued.plaintext()).await();
    assertThat(key).isNotNull();
    assertThat(key.id()).isEqualTo(issued.key().id());
    assertThat(key.role()).isEqualTo(ApiKeyRole.OPERATOR);
    assertThat(key.name()).isEqualTo("ci pipeline");
    assertThat(key.createdBy()).isEqualTo("alice");
    assertThat(key.lastUsedAt()).isNotNull();
    String secret = ApiKeyFormat.parse(issued.plaintext()).orElseThrow().secret();
    String stored = pool.preparedQuery("SELECT encode(secret_hash, 'hex') || ' ' || api_keys::text AS t FROM api_keys "
        + "WHERE id = $1").execute(Tuple.of(key.id())).await().iterator().next().getString("t");
    assertThat(stored).doesNotContain(secret).doesNotContain(issued.plaintext());
  }

  @Test
  void aWrongSecretAnUnknownIdAndGarbageDoNotAuthenticate() {
    IssuedApiKey issued = keys.create("reporting", ApiKeyRole.AUDITOR, null, "alice").await();
    String plaintext = issued.plaintext();
    char last = plaintext.charAt(plaintext.length() - 1);
    String wrongSecret = plaintext.substring(0, plaintext.length() - 1) + (last == 'A' ? 'B' : 'A');
    String unknownId = ApiKeyFormat.generate(UUID.randomUUID());

    assertThat(keys.authenticate(wrongSecret).await()).isNull();
    assertThat(keys.authenticate(unknownId).await()).isNull();
    assertThat(keys.authenticate(null).await()).isNull();
    assertThat(keys.authenticate("").await()).isNull();
    assertThat(keys.authenticate("' OR 1=1 --").await()).isNull();
    assertThat(keys.authenticate("Bearer " + plaintext).await()).isNull();
    assertThat(keys.authenticate(plaintext).await()).isNotNull();
  }

  @Test
  void anExpiredKeyNoLongerAuthenticates() {
    IssuedApiKey issued = keys.create("temporary", ApiKeyRole.ADMIN, Instant.now().plus(Duration.ofHours(1)), "bob")
        .await();
    assertThat(keys.authenticate(issued.plaintext()).await()).isNotNull();

    pool.preparedQuery("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of(issued.key().id())).await();

    assertThat(keys.authenticate(issued.plaintext()).await()).isNull();
  }

  @Test
  void aKeyCannotBeCreatedAlreadyExpiredOrWithoutAName() {
    assertThatThrownBy(() -> keys.create("late", ApiKeyRole.ADMIN, Instant.now().minusSeconds(1), "bob").await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("future");
    assertThatThrownBy(() -> keys.create(" ", ApiKeyRole.ADMIN, null, "bob").await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
  }

  @Test
  void aRevokedKeyNoLongerAuthenticatesAndRevokingAgainKeepsTheFirstTime() {
    IssuedApiKey issued = keys.create("laptop", ApiKeyRole.ADMIN, null, "carol").await();
    assertThat(keys.authenticate(issued.plaintext()).await()).isNotNull();

    ApiKey revoked = keys.revoke(issued.key().id()).await();
    assertThat(revoked.revokedAt()).isNotNull();
    assertThat(keys.authenticate(issued.plaintext()).await()).isNull();
    assertThat(keys.revoke(issued.key().id()).await().revokedAt()).isEqualTo(revoked.revokedAt());
    assertThat(keys.revoke(UUID.randomUUID()).await()).isNull();
  }

  @Test
  void theLastUseIsWrittenAtMostOnceAMinute() {
    IssuedApiKey issued = keys.create("busy", ApiKeyRole.AUDITOR, null, "dave").await();
    Instant first = keys.authenticate(issued.plaintext()).await().lastUsedAt();
    Instant second = keys.authenticate(issued.plaintext()).await().lastUsedAt();
    assertThat(second).isEqualTo(first);

    pool.preparedQuery("UPDATE api_keys SET last_used_at = now() - interval '61 seconds' WHERE id = $1")
        .execute(Tuple.of(issued.key().id())).await();
    Instant third = keys.authenticate(issued.plaintext()).await().lastUsedAt();
    assertThat(third).isAfter(first.minus(1, ChronoUnit.SECONDS)).isAfter(Instant.now().minusSeconds(30));
    assertThat(keys.find(issued.key().id()).await().lastUsedAt()).isEqualTo(third);
  }

  @Test
  void theListShowsEveryKeyWithoutSecrets() {
    IssuedApiKey a = keys.create("list-a", ApiKeyRole.ADMIN, null, "erin").await();
    IssuedApiKey b = keys.create("list-b", ApiKeyRole.AUDITOR, null, "erin").await();
    keys.revoke(b.key().id()).await();

    List<ApiKey> listed = keys.list().await();

    assertThat(listed).extracting(ApiKey::id).contains(a.key().id(), b.key().id());
    assertThat(listed).filteredOn(k -> k.id().equals(b.key().id())).singleElement()
        .satisfies(k -> assertThat(k.revokedAt()).isNotNull());
    assertThat(listed.toString()).doesNotContain(a.plaintext()).doesNotContain(b.plaintext());
  }

  @Test
  void theEmbeddedDefaultGeneratesABootstrapAdminKeyOnlyOnce() {
    ApiKeys fresh = new ApiKeys(freshPool());

    IssuedApiKey generated = fresh.ensureBootstrapKey(Optional.empty()).await().orElseThrow();

    assertThat(generated.key().role()).isEqualTo(ApiKeyRole.ADMIN);
    assertThat(generated.key().bootstrap()).isTrue();
    assertThat(fresh.authenticate(generated.plaintext()).await().role()).isEqualTo(ApiKeyRole.ADMIN);
    assertThat(fresh.ensureBootstrapKey(Optional.empty()).await()).isEmpty();
    fresh.revoke(generated.key().id()).await();
    assertThat(fresh.ensureBootstrapKey(Optional.empty()).await()).isEmpty();
  }

  @Test
  void aConfiguredBootstrapKeyAuthenticatesAndReplacingItRevokesTheOldOne() {
    ApiKeys fresh = new ApiKeys(freshPool());
    String first = ApiKeyFormat.generate(UUID.randomUUID());
    String second = ApiKeyFormat.generate(UUID.randomUUID());

    assertThat(fresh.ensureBootstrapKey(Optional.of(Secret.of(first))).await()).isEmpty();
    assertThat(fresh.ensureBootstrapKey(Optional.of(Secret.of(first))).await()).isEmpty();
    ApiKey key = fresh.authenticate(first).await();
    assertThat(key.role()).isEqualTo(ApiKeyRole.ADMIN);
    assertThat(key.createdBy()).isEqualTo("config");

    fresh.ensureBootstrapKey(Optional.of(Secret.of(second))).await();

    assertThat(fresh.authenticate(first).await()).isNull();
    assertThat(fresh.authenticate(second).await().bootstrap()).isTrue();
    assertThat(fresh.ensureBootstrapKey(Optional.empty()).await()).isEmpty();
  }

  @Test
  void aMalformedConfiguredBootstrapKeyIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> keys.ensureBootstrapKey(Optional.of(Secret.of("hunter2-not-a-key"))).await())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admin.bootstrapKey")
        .hasMessageNotContaining("hunter2");
  }
}
