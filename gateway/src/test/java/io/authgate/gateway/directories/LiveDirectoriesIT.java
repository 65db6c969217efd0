package io.authgate.gateway.directories;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.crypto.MasterKeys;
import io.authgate.core.crypto.SecretBox;
import io.authgate.core.directory.BindOutcome;
import io.authgate.core.directory.Directory;
import io.authgate.core.directory.DirectoryUnavailableException;
import io.authgate.core.events.Addresses;
import io.authgate.core.identity.Credentials;
import io.authgate.core.metrics.MetricNames;
import io.authgate.core.store.DirectoryDefinitions;
import io.authgate.core.store.ManagedDirectories;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestServices;
import io.authgate.gateway.GatewayHarness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One gateway process without Redis (events on its own event bus): API-managed directories are
 * swapped in and out of its routing as the store changes, unchanged ones keep their instance, and
 * a replaced one answers its calls in flight before it is closed.
 */
@ExtendWith(NoBlockedThreads.class)
class LiveDirectoriesIT {
  private static InMemoryLdap corp;
  private static InMemoryLdap partners;
  private static GatewayHarness gateway;
  private static ManagedDirectories store;
  private static Pool pool;

  @BeforeAll
  static void start() {
    corp = InMemoryLdap.start();
    partners = InMemoryLdap.start();
    gateway = GatewayHarness.start("""
        directories:
          - name: corp
            urls: ["%s"]
            baseDn: dc=example,dc=org
        """.formatted(corp.url()), Map.of(), TestServices.freshDatabase());
    pool = gateway.services().platform().store().orElseThrow();
    SecretBox box = SecretBox.of(MasterKeys.decode(GatewayHarness.MASTER_KEY).orElseThrow());
    store = new ManagedDirectories(pool, Optional.of(box));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    corp.close();
    partners.close();
  }

  private static DirectoryConfig partners(String password) {
    return DirectoryDefinitions.read(new JsonObject().put("name", "partners")
        .put("urls", new JsonArray().add(partners.url())).put("baseDn", "dc=example,dc=org")
        .put("bindDn", InMemoryLdap.SERVICE_DN).put("breaker", new JsonObject().put("callTimeout", "1s")),
        Optional.of(io.authgate.core.config.Secret.of(password)));
  }

  private static void changed(UUID id) {
    gateway.services().platform().broadcaster().publish(Addresses.DIRECTORIES_CHANGED, id.toString()).await();
  }

  private static Optional<Directory> routed() {
    return gateway.services().directories().router().byRealm("partners");
  }

  private static <T> T eventually(Supplier<T> value, java.util.function.Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    T last = value.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      last = value.get();
    }
    return last;
  }

  private static double probes() {
    return gateway.registry().find(MetricNames.LDAP_OPERATIONS).tags(MetricNames.DIRECTORY, "partners",
        MetricNames.OPERATION, "probe").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static Future<BindOutcome> alice(Directory directory) {
    return directory.authenticate(new Credentials("alice", "alice-secret-1"));
  }

  @Test
  void theRouterFollowsTheStoreAndAReplacedDirectoryIsClosedOnlyAfterItsCallsHadTimeToFinish() throws Exception {
    assertThat(routed()).isEmpty();
    UUID id = UUID.randomUUID();
    pool.withTransaction(c -> store.create(c, id, partners(InMemoryLdap.SERVICE_PASSWORD))).await();
    changed(id);
    Directory first = eventually(LiveDirectoriesIT::routed, Optional::isPresent).orElseThrow();
    assertThat(alice(first).await()).isInstanceOf(BindOutcome.Authenticated.class);
    assertThat(gateway.services().directories().router().byRealm("corp")).isPresent();

    changed(id);
    gateway.services().directories().reload().await();
    assertThat(routed()).containsSame(first);

    pool.withTransaction(c -> store.replace(c, id, partners("wrong-password"))).await();
    changed(id);
    Directory second = eventually(LiveDirectoriesIT::routed, d -> d.isPresent() && d.get() != first).orElseThrow();
    assertThat(second).isNotSameAs(first);
    assertThat(alice(second).transform(done -> Future.succeededFuture(done.cause())).await())
        .isInstanceOf(DirectoryUnavailableException.class);
    assertThat(alice(first).await()).as("the old instance still answers").isInstanceOf(BindOutcome.Authenticated.class);
    Throwable closed = eventually(() -> alice(first).transform(done -> Future.succeededFuture(done.cause())).await(),
        cause -> cause != null);
    assertThat(closed).isInstanceOf(DirectoryUnavailableException.class).hasMessageContaining("closed");
    // The replacement measures itself, also once the replaced instance is closed.
    double probes = probes();
    second.probe().transform(done -> Future.succeededFuture()).await();
    assertThat(probes()).isEqualTo(probes + 1);
    assertThat(gateway.registry().find(MetricNames.CIRCUIT_BREAKER_STATE).tag(MetricNames.DIRECTORY, "partners")
        .gauge()).isNotNull();

    pool.withTransaction(c -> store.delete(c, id)).await();
    changed(id);
    assertThat(eventually(LiveDirectoriesIT::routed, Optional::isEmpty)).isEmpty();
  }
}
