package io.authgate.loadtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The signed SAML responses of a file, one base64 {@code SAMLResponse} a line, read lazily (the
 * file may hold gigabytes): each line is handed out once, in order, so no response is
 * ever posted twice (a second post would be a replay the gateway must refuse). Not a Gatling
 * feeder: Gatling crashes the whole run when a feeder runs dry, and a gateway faster than the file
 * was sized for must still get a figure, so {@link #poll()} says "none left" instead. Thread-safe.
 */
final class SamlResponseFile implements AutoCloseable {
  private final Path file;
  private final BufferedReader reader;
  private String lookahead;
  private long handedOut;

  /** @param file the responses, one a line */
  SamlResponseFile(Path file) {
    this.file = file;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read -Dresponses.file=" + file, e);
    }
    lookahead = readLine();
  }

  /** @return the next unused response, or null once every response has been handed out */
  synchronized String poll() {
    if (lookahead == null) {
      return null;
    }
    String current = lookahead;
    lookahead = readLine();
    handedOut++;
    return current;
  }

  /** @return how many responses were handed out */
  synchronized long used() {
    return handedOut;
  }

  /** @return whether every response of the file was handed out */
  synchronized boolean exhausted() {
    return lookahead == null;
  }

  private String readLine() {
    try {
      String line;
      do {
        line = reader.readLine();
      } while (line != null && line.isBlank());
      return line == null ? null : line.trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
