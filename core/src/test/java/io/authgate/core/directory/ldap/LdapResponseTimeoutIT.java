package io.authgate.core.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.ConfigLoader;
import io.authgate.core.directory.BindOutcome;
import io.authgate.core.directory.Directory;
import io.authgate.core.directory.DirectoryUnavailableException;
import io.authgate.core.directory.DirectoryUnavailableException.Cause;
import io.authgate.core.identity.Credentials;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.core.testing.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A directory that keeps its connections open but stops answering: each request fails as a
 * timeout once its own response timeout has passed, however many are pending on a connection and
 * whenever each was sent, and the connection serves again once answers flow. The real slapd sits
 * behind a proxy that can drop everything the server sends.
 */
@ExtendWith(NoBlockedThreads.class)
class LdapResponseTimeoutIT {
  private static final long TIMEOUT_MILLIS = 600;
  /** Generous: the test machine may be busy; what matters is that the request fails, and not early. */
  private static final long LATE_MILLIS = 2_500;

  private Vertx vertx;
  private NetServer proxy;
  /** The proxy's client to slapd, held: Vert.x closes an unreferenced client's connections. */
  private NetClient upstream;
  private Directory directory;
  private final AtomicBoolean silent = new AtomicBoolean();

  @BeforeEach
  void start() {
    Slapd slapd = Slapd.shared();
    vertx = TestVertx.create(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    upstream = vertx.createNetClient();
    proxy = vertx.createNetServer().connectHandler(client -> {
      client.pause();
      upstream.connect(slapd.port(), "127.0.0.1").onSuccess(server -> {
        client.handler(server::write);
        server.handler(data -> {
          if (!silent.get()) {
            client.write(data);
          }
        });
        client.closeHandler(v -> server.close());
        server.closeHandler(v -> client.close());
        client.resume();
      }).onFailure(e -> client.close());
    }).listen(0, "127.0.0.1").await();
    directory = LdapDirectory.open(vertx, ConfigLoader.directory(Map.of(
        "name", "silent",
        "urls", List.of("ldap://127.0.0.1:" + proxy.actualPort()),
        "baseDn", Slapd.BASE_DN,
        "bindDn", Slapd.ADMIN_DN,
        "bindPassword", Slapd.ADMIN_PASSWORD,
        "pool", Map.of("max", 4),
        "timeouts", Map.of("connect", "2s", "response", TIMEOUT_MILLIS + "ms"))),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 1).await();
  }

  @AfterEach
  void stop() {
    directory.close().await();
    proxy.close().await();
    vertx.close().await();
  }

  @Test
  void eachPendingRequestTimesOutAfterItsOwnTimeoutAndTheConnectionServesAgainAfterwards() throws Exception {
    // Connections open and the service account bound while the server still answers.
    assertThat(login()).isInstanceOf(BindOutcome.Authenticated.class);
    silent.set(true);

    // Three logins a while apart: their searches wait on the one search connection together.
    List<Future<Long>> failedAfter = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      failedAfter.add(directory.authenticate(new Credentials("alice", "alice-secret-1")).transform(ar -> {
        assertThat(ar.failed()).as("answered while the server was silent").isTrue();
        assertThat(ar.cause()).isInstanceOfSatisfying(DirectoryUnavailableException.class,
            e -> assertThat(e.kind()).isEqualTo(Cause.TIMEOUT));
        return Future.succeededFuture(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      }));
      Thread.sleep(TIMEOUT_MILLIS / 3);
    }
    for (Future<Long> failure : failedAfter) {
      long millis = failure.await(10, TimeUnit.SECONDS);
      assertThat(millis).as("failed after its own timeout, not before").isGreaterThanOrEqualTo(TIMEOUT_MILLIS);
      assertThat(millis).as("failed soon after its timeout").isLessThan(TIMEOUT_MILLIS + LATE_MILLIS);
    }

    // The answers to the abandoned requests are ignored when they come; new requests are answered.
    silent.set(false);
    assertThat(login()).isInstanceOf(BindOutcome.Authenticated.class);
    assertThat(login()).isInstanceOf(BindOutcome.Authenticated.class);
  }

  @Test
  void aRequestSentAfterTheOldestWasAnsweredStillTimesOut() throws Exception {
    assertThat(login()).isInstanceOf(BindOutcome.Authenticated.class);
    // The connection's timer was set for that first request; it must be set again for the next.
    Thread.sleep(TIMEOUT_MILLIS / 2);
    silent.set(true);
    long start = System.nanoTime();
    Future<BindOutcome> attempt = directory.authenticate(new Credentials("alice", "alice-secret-1"));
    try {
      attempt.await(10, TimeUnit.SECONDS);
      throw new AssertionError("answered while the server was silent");
    } catch (DirectoryUnavailableException e) {
      assertThat(e.kind()).isEqualTo(Cause.TIMEOUT);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(millis).isBetween(TIMEOUT_MILLIS, TIMEOUT_MILLIS + LATE_MILLIS);
  }

  private BindOutcome login() throws Exception {
    return directory.authenticate(new Credentials("alice", "alice-secret-1")).await(10, TimeUnit.SECONDS);
  }
}
