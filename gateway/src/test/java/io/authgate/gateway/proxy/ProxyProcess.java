package io.authgate.gateway.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A reverse proxy run for a test: a temporary directory for its configuration, logs and state, the
 * process in the foreground with its output in {@code <dir>/process.log}, a wait until its port
 * accepts connections, and a clean stop (SIGTERM, then SIGKILL for it and its children) that also
 * removes the directory. A JVM shutdown hook stops it if a test forgets.
 */
final class ProxyProcess implements AutoCloseable {
  private final String name;
  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread hook;

  private ProxyProcess(String name, Path dir, int port, Process process) {
    this.name = name;
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.hook = new Thread(this::stop, name + "-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** @return a new temporary directory, traversable by nginx's unprivileged workers when running as root */
  static Path newDirectory(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code command} in {@code dir} and waits until {@code port} on 127.0.0.1 accepts connections.
   *
   * @param env variables to add to the inherited environment
   */
  static ProxyProcess start(String name, Path dir, int port, List<String> command, Map<String, String> env) {
    if (!Files.isExecutable(Path.of(command.get(0)))) {
      throw new IllegalStateException(command.get(0) + " not found: install it (apt-get install " + name + ")");
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("process.log").toFile());
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    ProxyProcess started = new ProxyProcess(name, dir, port, process);
    started.waitForPort();
    return started;
  }

  private void waitForPort() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = logs();
        stop();
        throw new IllegalStateException(name + " exited with status " + process.exitValue() + ":\n" + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    String log = logs();
    stop();
    throw new IllegalStateException(name + " did not listen on " + port + ":\n" + log);
  }

  /** @return the port it listens on */
  int port() {
    return port;
  }

  /** @return its directory */
  Path dir() {
    return dir;
  }

  /** @return every {@code .log} file in its directory, for failure messages */
  String logs() {
    StringBuilder out = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        out.append("--- ").append(file.getFileName()).append('\n').append(Files.readString(file));
      }
    } catch (IOException e) {
      out.append("(cannot read the logs: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  private synchronized void stop() {
    if (process.isAlive()) {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          children.forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      children.forEach(c -> {
        if (c.isAlive()) {
          c.destroyForcibly();
        }
      });
    }
    deleteQuietly(dir);
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway, and stopping twice is harmless
    }
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // a temporary directory left behind is not worth failing a test over
    }
  }
}
