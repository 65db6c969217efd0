package io.authgate.gateway.saml.idp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command with some stdin, collecting stdout and stderr through files so neither pipe can fill up. */
final class ProcessRunner {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private ProcessRunner() {}

  /** The outcome of a command that ran to its end. */
  record Result(int exitCode, String stdout, String stderr) {}

  /** Runs the command and fails with its stderr unless it exits 0. */
  static String run(Path dir, List<String> command, String stdin, Duration timeout) {
    Result result = runAllowingFailure(dir, command, stdin, timeout);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(command.get(0) + " exited with " + result.exitCode() + ":\n" + result.stderr());
    }
    return result.stdout();
  }

  /** Runs the command to its end (or kills it at the timeout) and returns what it printed. */
  static Result runAllowingFailure(Path dir, List<String> command, String stdin, Duration timeout) {
    try {
      Path out = Files.createTempFile(dir, "stdout", ".txt");
      Path err = Files.createTempFile(dir, "stderr", ".txt");
      Path in = Files.createTempFile(dir, "stdin", ".txt");
      Files.writeString(in, stdin);
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
            + " did not finish within " + timeout + ":\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      Files.delete(in);
      return result;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
