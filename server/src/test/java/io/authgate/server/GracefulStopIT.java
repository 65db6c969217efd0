package io.authgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar stopped with SIGTERM, as an orchestrator stops it in a rolling restart, while a login
 * waits on the directory: the listener takes no new connections, and the login in flight is
 * answered from the directory before the process exits, within {@code http.shutdownTimeout}.
 */
class GracefulStopIT extends JarClient {
  private static final long WAIT_SECONDS = 60;

  @TempDir
  Path workDir;

  /** Holds alice's binds until the test lets them go, and says when one has arrived. */
  static final class HeldBinds extends InMemoryOperationInterceptor {
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);

    @Override
    public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
      if (request.getRequest().getBindDN().startsWith("uid=alice,")) {
        arrived.countDown();
        try {
          released.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Test
  void aStopLetsTheLoginInFlightFinishAndTakesNoNewConnections() throws Exception {
    HeldBinds held = new HeldBinds();
    try (InMemoryLdap directory = InMemoryLdap.start(held)) {
      int port = FreePorts.next();
      try (ServerProcess server = ServerProcess.start(workDir, environment(directory, port, "10s"))) {
        server.awaitOutput("Press Ctrl-C to stop.", 120);
        Future<HttpResponse<Buffer>> login = aliceLogsIn(port);
        assertThat(held.arrived.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        server.terminate();
        awaitRefused(port);
        // The directory was not closed under the login: it answers once the bind is let go.
        held.released.countDown();
        HttpResponse<Buffer> answer =
            login.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.bodyAsJsonObject().getString("source")).isEqualTo("ldap");
        assertThat(answer.bodyAsJsonObject().getJsonObject("user").getString("username")).isEqualTo("alice");

        assertThat(server.awaitExit(WAIT_SECONDS)).isEqualTo(143);
        String stopping = server.stdout().substring(server.stdout().indexOf("authgate: stopping"));
        assertThat(stopping).contains("\"event\":\"http.draining\"")
            .doesNotContain("\"level\":\"ERROR\"").doesNotContain("\"level\":\"WARN\"");
      } finally {
        held.released.countDown();
      }
    }
  }

  @Test
  void aLoginStillWaitingWhenTheShutdownTimeoutRunsOutIsCutOffAndTheProcessExits() throws Exception {
    HeldBinds held = new HeldBinds();
    try (InMemoryLdap directory = InMemoryLdap.start(held)) {
      int port = FreePorts.next();
      try (ServerProcess server = ServerProcess.start(workDir, environment(directory, port, "1s"))) {
        server.awaitOutput("Press Ctrl-C to stop.", 120);
        Future<HttpResponse<Buffer>> login = aliceLogsIn(port);
        assertThat(held.arrived.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        long stopAsked = System.nanoTime();
        server.terminate();
        assertThat(server.awaitExit(WAIT_SECONDS)).isEqualTo(143);
        // The bind is still held: the process did not wait for it beyond the timeout (and some
        // margin for closing the rest).
        assertThat(held.released.getCount()).isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopAsked)).isLessThan(20);
        String outcome = login.toCompletionStage().toCompletableFuture()
            .handle((answer, failure) -> answer == null ? "cut off" : "answered " + answer.statusCode())
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo("cut off");
      } finally {
        held.released.countDown();
      }
    }
  }

  private static Map<String, String> environment(InMemoryLdap directory, int port, String shutdownTimeout) {
    Map<String, String> env = new HashMap<>();
    env.put("AUTHGATE_LDAP_URL", directory.url());
    env.put("AUTHGATE_LDAP_BASE_DN", "dc=example,dc=org");
    env.put("AUTHGATE_LDAP_BIND_DN", InMemoryLdap.SERVICE_DN);
    env.put("AUTHGATE_LDAP_BIND_PASSWORD", InMemoryLdap.SERVICE_PASSWORD);
    env.put("AUTHGATE_LDAP_USER_FILTER", "(uid={username})");
    env.put("AUTHGATE_POSTGRES_URL", TestServices.freshDatabase());
    env.put("AUTHGATE_HTTP_PORT", Integer.toString(port));
    env.put("AUTHGATE_ROLES", "gateway");
    env.put("AUTHGATE_HTTP_SHUTDOWN_TIMEOUT", shutdownTimeout);
    return env;
  }

  private static Future<HttpResponse<Buffer>> aliceLogsIn(int port) {
    return http.post(port, "127.0.0.1", "/v1/auth").basicAuthentication("alice", "alice-secret-1").send();
  }

  /** Waits until a new connection to {@code port} is refused. */
  private static void awaitRefused(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      } catch (ConnectException refused) {
        return;
      } catch (java.io.IOException other) {
        // not refused yet
      }
      Thread.sleep(20);
    }
    throw new AssertionError("port " + port + " still took connections " + WAIT_SECONDS + " s after the stop");
  }
}
