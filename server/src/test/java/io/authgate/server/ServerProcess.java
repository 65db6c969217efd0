package io.authgate.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/authgate.jar} in a working directory, its output collected as it comes.
 * Every wait has a time limit; when one runs out, the message carries the server's thread dump.
 */
final class ServerProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "authgate.jar").toAbsolutePath();
  /** The processes started and not yet closed, for {@link ServerDiagnostics}. */
  static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();

  private final Process process;
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();

  private ServerProcess(Process process) {
    this.process = process;
    readers.add(collect(process.getInputStream(), stdout));
    readers.add(collect(process.getErrorStream(), stderr));
  }

  static ServerProcess start(Path workDir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("AUTHGATE_"));
    builder.environment().putAll(env);
    try {
      ServerProcess server = new ServerProcess(builder.start());
      LIVE.add(server);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread collect(java.io.InputStream in, List<String> lines) {
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /** Waits for a line of standard output containing {@code text}. */
  void awaitOutput(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (stdout().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + stdout() + stderr());
      }
      Thread.sleep(100);
    }
    requestThreadDump();
    throw new AssertionError("no \"" + text + "\" within " + seconds + " s:\n" + stdout() + stderr());
  }

  /** @return the exit status, once the process ends within {@code seconds} */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      requestThreadDump();
      throw new AssertionError("the server did not stop within " + seconds + " s:\n" + stdout());
    }
    for (Thread reader : readers) {
      reader.join(5_000);
    }
    return process.exitValue();
  }

  /**
   * Sends SIGTERM, as a service manager (or Ctrl-C's SIGINT) would. Through the process handle:
   * {@link Process#destroy()} would also close our ends of the pipes and lose the last output.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /**
   * Asks the JVM for a thread dump (SIGQUIT), which it prints to standard output and goes on, and
   * gives it a second to arrive.
   */
  void requestThreadDump() {
    if (!process.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
      Thread.sleep(1_000);
    } catch (IOException e) {
      // no kill command: the message goes without the dump
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return the pid, standard output and standard error collected so far */
  String describe() {
    return "server pid " + process.pid() + (process.isAlive() ? " (running)" : " (exited " + process.exitValue() + ")")
        + "\n--- standard output ---\n" + stdout() + "\n--- standard error ---\n" + stderr();
  }

  String stdout() {
    synchronized (stdout) {
      return String.join("\n", stdout);
    }
  }

  List<String> stderrLines() {
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  private String stderr() {
    return String.join("\n", stderrLines());
  }

  /** Kills the process at once (SIGKILL), as a crash would: nothing of it runs its shutdown. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Stops a process the test left running (it failed, or did not need the stop) as a service
   * manager would, so that it stops what it started, such as the embedded PostgreSQL; killed if it
   * has not stopped after 20 s.
   */
  @Override
  public void close() {
    LIVE.remove(this);
    if (process.isAlive()) {
      terminate();
      try {
        process.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    process.destroyForcibly();
  }
}
