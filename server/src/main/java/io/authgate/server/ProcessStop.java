package io.authgate.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Stops the server once, in order, on Ctrl-C (SIGINT), SIGTERM or any other exit of the JVM,
 * including one asked for while the server is still starting: the stop waits for the start to
 * finish or fail, then stops what it started.
 *
 * <p>SIGINT and SIGTERM are handled here rather than left to the JVM's shutdown, because the JVM
 * runs every shutdown hook at once: the embedded PostgreSQL's own hook would stop the store under
 * the roles still using it (their errors then reach the console). Here the roles stop first, then
 * the embedded services, and only then does the JVM exit, with 128 + the signal's number as a
 * shell expects. The shutdown hook stays for every other way out. Thread-safe.
 */
final class ProcessStop {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessStop.class);

  private final CompletableFuture<AuthgateServer> started = new CompletableFuture<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final AtomicBoolean requested = new AtomicBoolean();

  private ProcessStop() {}

  /** @return a stop listening for the signals and the JVM's shutdown; install it before starting */
  static ProcessStop install() {
    ProcessStop stop = new ProcessStop();
    for (String name : List.of("INT", "TERM")) {
      try {
        Signal.handle(new Signal(name), signal -> new Thread(() -> {
          stop.run();
          System.exit(128 + signal.getNumber());
        }, "authgate-stop").start());
      } catch (IllegalArgumentException e) {
        LOG.debug("SIG{} left to the JVM's shutdown: {}", name, e.toString());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stop::run, "authgate-shutdown"));
    return stop;
  }

  /** The start finished: {@code server} is what a stop stops; null when the start failed. */
  void started(AuthgateServer server) {
    started.complete(server);
  }

  /** @return whether a stop has been asked for */
  boolean requested() {
    return requested.get();
  }

  /** Waits until the server has been stopped. */
  void await() {
    stopped.join();
  }

  /** Stops the server (the first caller, once it has started), or waits for the stop under way. */
  private void run() {
    if (requested.compareAndSet(false, true)) {
      try {
        AuthgateServer running = started.join();
        if (running != null) {
          System.out.println("authgate: stopping");
          running.stop();
        }
      } finally {
        stopped.complete(null);
      }
    }
    stopped.join();
  }
}
