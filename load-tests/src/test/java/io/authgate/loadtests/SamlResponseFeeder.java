package io.authgate.loadtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A Gatling feeder over a file of signed SAML responses, one base64 {@code SAMLResponse} a line,
 * read lazily (the file may hold hundreds of megabytes): each line is handed out once, in order,
 * as the session attribute {@code samlResponse}, so no response is ever posted twice (a second post
 * would be a replay the gateway must refuse). Thread-safe.
 */
final class SamlResponseFeeder implements Iterator<Map<String, Object>>, AutoCloseable {
  /** The session attribute holding the response. */
  static final String ATTRIBUTE = "samlResponse";

  private final Path file;
  private final BufferedReader reader;
  private String lookahead;
  private long handedOut;

  /** @param file the responses, one a line */
  SamlResponseFeeder(Path file) {
    this.file = file;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read -Dresponses.file=" + file, e);
    }
    lookahead = readLine();
  }

  @Override
  public synchronized boolean hasNext() {
    return lookahead != null;
  }

  @Override
  public Map<String, Object> next() {
    return Map.of(ATTRIBUTE, nextResponse());
  }

  /** @return the next unused response */
  synchronized String nextResponse() {
    if (lookahead == null) {
      throw new NoSuchElementException("all " + handedOut + " responses of " + file + " have been used");
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
