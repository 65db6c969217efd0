package io.authgate.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.directory.DirectoryUnavailableException.Cause;
import io.authgate.core.directory.ldap.LdapDirectory;
import io.authgate.core.identity.Credentials;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The circuit breaker in front of a directory that goes away and comes back. */
@ExtendWith(NoBlockedThreads.class)
class GuardedDirectoryIT {
  private Vertx vertx;
  private InMemoryLdap ldap;
  private GuardedDirectory directory;
  private PrometheusMeterRegistry registry;

  @BeforeEach
  void start() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = TestVertx.create(registry);
    ldap = InMemoryLdap.start();
    Directory ldapDirectory = LdapDirectory.open(vertx, ConfigLoader.directory(Map.of(
        "name", "flaky",
        "urls", List.of(ldap.url()),
        "baseDn", "dc=example,dc=org",
        "bindDn", InMemoryLdap.SERVICE_DN,
        "bindPassword", InMemoryLdap.SERVICE_PASSWORD,
        "pool", Map.of("max", 4),
        "timeouts", Map.of("connect", "3s", "response", "3s"),
        "breaker", Map.of("maxFailures", 5, "openFor", "1s"))), registry, 1).await();
    directory = new GuardedDirectory(vertx, ldapDirectory, registry);
  }

  @AfterEach
  void stop() {
    directory.close().await();
    vertx.close().await();
    ldap.close();
  }

  private Future<BindOutcome> attempt(String password) {
    return directory.authenticate(new Credentials("alice", password));
  }

  private double stateGauge() {
    return registry.get("authgate.circuit.breaker.state").tag("directory", "flaky").gauge().value();
  }

  @Test
  void wrongPasswordsNeverOpenTheCircuit() {
    for (int i = 0; i < 10; i++) {
      assertThat(attempt("wrong-" + i).await()).isEqualTo(new BindOutcome.Rejected(RejectReason.WRONG_PASSWORD));
    }
    assertThat(directory.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void fiveConnectionFailuresOpenItThenItFailsFastAndAProbeClosesIt() throws Exception {
    assertThat(attempt("alice-secret-1").await()).isInstanceOf(BindOutcome.Authenticated.class);
    ldap.stop();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> attempt("alice-secret-1").await())
          .isInstanceOfSatisfying(DirectoryUnavailableException.class,
              e -> assertThat(e.kind()).isNotEqualTo(Cause.CIRCUIT_OPEN));
    }
    assertThat(directory.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(stateGauge()).isEqualTo(1.0);

    long start = System.nanoTime();
    assertThatThrownBy(() -> attempt("alice-secret-1").await())
        .isInstanceOfSatisfying(DirectoryUnavailableException.class,
            e -> assertThat(e.kind()).isEqualTo(Cause.CIRCUIT_OPEN));
    // Far below the 3 s connect timeout: the open circuit answers without touching the network.
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms to fail while open").isLessThan(250);

    ldap.restart();
    Thread.sleep(1_200);
    assertThat(directory.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(attempt("alice-secret-1").await()).isInstanceOf(BindOutcome.Authenticated.class);
    assertThat(directory.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(stateGauge()).isEqualTo(0.0);
  }

  @Test
  void aSuccessResetsTheCountOfConsecutiveFailures() throws Exception {
    ldap.stop();
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> attempt("alice-secret-1").await()).isInstanceOf(DirectoryUnavailableException.class);
    }
    ldap.restart();
    assertThat(attempt("alice-secret-1").await()).isInstanceOf(BindOutcome.Authenticated.class);
    ldap.stop();
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> attempt("alice-secret-1").await()).isInstanceOf(DirectoryUnavailableException.class);
    }
    assertThat(directory.state()).isEqualTo(CircuitBreakerState.CLOSED);
  }
}
