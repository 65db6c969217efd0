package io.authgate.core.idps;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.AttributeMapping;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Identity providers in the store: configured ones recorded, API-managed ones handed to the gateways. */
@ExtendWith(NoBlockedThreads.class)
class IdentityProvidersIT {
  private static TestStore store;
  private static Vertx vertx;
  private static Pool pool;
  private static IdentityProviders idps;

  @BeforeAll
  static void start() {
    store = TestStore.start(4);
    vertx = store.vertx();
    pool = store.pool();
    idps = new IdentityProviders(pool);
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  private static IdpConfig configured(String id, URI url) {
    return new IdpConfig(id, id.toUpperCase(), Optional.empty(), Optional.empty(), Optional.of(url),
        Duration.ofMinutes(10), AttributeMapping.none(), true, false, List.of("staff"), false, true);
  }

  private static IdpSettings settings(boolean jit) {
    return new IdpSettings(new AttributeMapping("okta", Optional.empty(), Optional.of("mail"), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty()), jit, true, List.of("a", "b"), true, false);
  }

  @Test
  void configuredOnesAreRecordedAndForgottenWhenNoLongerConfigured() {
    idps.recordConfigured(List.of(configured("alpha", URI.create("https://alpha.example.com/md")),
        configured("beta", URI.create("https://beta.example.com/md")))).await();
    IdpRecord alpha = idps.find("alpha").await();
    assertThat(alpha.source()).isEqualTo(IdpRecord.FROM_CONFIG);
    assertThat(alpha.metadataSource()).isEqualTo(IdpRecord.URL);
    assertThat(alpha.metadataLocation()).isEqualTo("https://alpha.example.com/md");
    assertThat(alpha.metadataRefresh()).isEqualTo(Duration.ofMinutes(10));
    assertThat(alpha.settings().jit()).isTrue();
    assertThat(alpha.settings().defaultRoles()).containsExactly("staff");

    idps.recordConfigured(List.of(configured("alpha", URI.create("https://alpha.example.com/md2")))).await();
    assertThat(idps.find("alpha").await().metadataLocation()).isEqualTo("https://alpha.example.com/md2");
    assertThat(idps.find("beta").await()).isNull();
    assertThat(idps.managedConfigs().await()).noneMatch(c -> c.id().equals("alpha"));
  }

  @Test
  void apiManagedOnesBecomeTheGatewaysConfigurationWhileEnabled() {
    IdpRecord created = idps.create(pool, new IdentityProviders.NewIdp("gamma", "Gamma", "https://gamma.example.com",
        IdpRecord.INLINE, null, "<md/>", Duration.ofHours(2), settings(true), true)).await();
    assertThat(idps.find(created.id().toString()).await()).isEqualTo(created);
    IdpConfig config = idps.managedConfigs().await().stream().filter(c -> c.id().equals("gamma")).findFirst()
        .orElseThrow();
    assertThat(config.metadataXml()).contains("<md/>");
    assertThat(config.metadataUrl()).isEmpty();
    assertThat(config.displayName()).isEqualTo("Gamma");
    assertThat(config.attributes().emailAttribute()).contains("mail");
    assertThat(config.attributes().groupsAttribute()).contains("groups");
    assertThat(config.jit()).isTrue();
    assertThat(config.matchByEmail()).isTrue();
    assertThat(config.defaultRoles()).containsExactly("a", "b");
    assertThat(config.allowIdpInitiated()).isTrue();
    assertThat(config.signAuthnRequests()).isFalse();
    assertThat(config.metadataRefresh()).isEqualTo(Duration.ofHours(2));

    idps.update(pool, created.id(), "Gamma", settings(false), false, Duration.ofHours(2)).await();
    assertThat(idps.managedConfigs().await()).noneMatch(c -> c.id().equals("gamma"));
    assertThat(idps.delete(pool, created.id()).await()).isTrue();
    assertThat(idps.delete(pool, created.id()).await()).isFalse();
  }

  @Test
  void aTakenSlugOrEntityIdIsRefusedWithItsReason() {
    idps.create(pool, new IdentityProviders.NewIdp("delta", "Delta", "https://delta.example.com", IdpRecord.INLINE,
        null, "<md/>", Duration.ofHours(1), settings(false), true)).await();
    Throwable slug = idps.create(pool, new IdentityProviders.NewIdp("delta", "Delta", "https://other.example.com",
        IdpRecord.INLINE, null, "<md/>", Duration.ofHours(1), settings(false), true))
        .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())).await();
    assertThat(slug).isInstanceOf(IdpException.class);
    assertThat(((IdpException) slug).reason()).isEqualTo(IdpException.Reason.SLUG_TAKEN);
    Throwable entity = idps.create(pool, new IdentityProviders.NewIdp("epsilon", "E", "https://delta.example.com",
        IdpRecord.INLINE, null, "<md/>", Duration.ofHours(1), settings(false), true))
        .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())).await();
    assertThat(((IdpException) entity).reason()).isEqualTo(IdpException.Reason.ENTITY_ID_TAKEN);
  }
}
