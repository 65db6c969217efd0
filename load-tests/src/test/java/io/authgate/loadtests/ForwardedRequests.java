package io.authgate.loadtests;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The request a reverse proxy sends to the gateway's verify endpoint for every request it protects,
 * shared by {@link VerifySimulation} (against the gateway) and {@link HelloWorldSimulation} (the very
 * same request against the bare Vert.x baseline, so both measure the same client work): {@code GET
 * path} with the session cookie and the headers Traefik's {@code ForwardAuth} (and Caddy's
 * {@code forward_auth}) add, as {@code load-tests/wrk/forward-auth.lua} sends them too:
 *
 * <pre>
 * GET /v1/verify/forward-auth HTTP/1.1
 * Cookie: authgate_session=&lt;token&gt;
 * X-Forwarded-Method: GET
 * X-Forwarded-Proto: https
 * X-Forwarded-Host: app.bench.local
 * X-Forwarded-Uri: /dashboard/reports?page=2
 * X-Forwarded-For: 127.0.0.10
 * Accept: application/json
 * </pre>
 *
 * <p>The gateway believes the forwarded headers from its trusted proxies only
 * ({@code AUTHGATE_HTTP_TRUSTED_PROXIES=127.0.0.1}, as bench.sh starts it). {@code Accept:
 * application/json} makes a request without a valid session a 401 (a browser's {@code text/html}
 * would get a 302 to the login page), and redirects are not followed: either way it is a failure.
 *
 * <p>Properties, besides {@link LoadSettings}'s: {@code sessions.file} (one session token a line;
 * without it {@link VerifySimulation} opens {@code users} sessions itself and
 * {@link HelloWorldSimulation} makes up tokens of the same shape), {@code cookie.name} (default
 * {@code authgate_session}), {@code forwarded.host} (default {@code app.bench.local}),
 * {@code forwarded.uri} (default {@code /dashboard/reports?page=2}).
 */
final class ForwardedRequests {
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");

  final LoadSettings settings;
  final String path;
  final String cookieName = System.getProperty("cookie.name", "authgate_session");
  final String forwardedHost = System.getProperty("forwarded.host", "app.bench.local");
  final String forwardedUri = System.getProperty("forwarded.uri", "/dashboard/reports?page=2");
  final String sessionsFile = System.getProperty("sessions.file", "");
  /** Filled before the load starts (constructor or before()), read by the feeder's threads. */
  private volatile List<String> tokens = List.of();

  /** Every request draws one of the tokens at random, as the cached simulation draws its users. */
  final Iterator<Map<String, Object>> feeder = Stream.generate(() -> {
    List<String> all = tokens;
    return Map.<String, Object>of("token", all.get(ThreadLocalRandom.current().nextInt(all.size())));
  }).iterator();

  /**
   * @param settings the run's settings
   * @param path the path to request, {@code /v1/verify/forward-auth} for the gateway
   */
  ForwardedRequests(LoadSettings settings, String path) {
    this.settings = settings;
    this.path = path;
    if (!sessionsFile.isBlank()) {
      tokens = readTokens(Path.of(sessionsFile));
    }
  }

  /** @return whether the tokens came from {@code -Dsessions.file} */
  boolean fromFile() {
    return !sessionsFile.isBlank();
  }

  /** @return how many tokens the requests draw from (0 until they are opened) */
  int tokenCount() {
    return tokens.size();
  }

  /** @return the HTTP protocol of {@link LoadSettings#protocol()}, not following redirects */
  HttpProtocolBuilder protocol() {
    return settings.protocol().disableFollowRedirect();
  }

  /**
   * @param name the request's name in the statistics
   * @return {@code GET path} with the feeder's session cookie and the forwarded headers
   */
  HttpRequestActionBuilder request(String name) {
    return http(name).get(path)
        .header("Cookie", cookieName + "=#{token}")
        .header("X-Forwarded-Method", "GET")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", forwardedHost)
        .header("X-Forwarded-Uri", forwardedUri)
        .header("X-Forwarded-For", "127.0.0.10");
  }

  /**
   * @param token a session token
   * @return the same request as {@link #request(String)}, for requests sent outside Gatling
   */
  HttpRequest plainRequest(String token) {
    return HttpRequest.newBuilder(URI.create(settings.baseUrl + path))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json")
        .header("Cookie", cookieName + "=" + token)
        .header("X-Forwarded-Method", "GET")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", forwardedHost)
        .header("X-Forwarded-Uri", forwardedUri)
        .header("X-Forwarded-For", "127.0.0.10")
        .GET()
        .build();
  }

  /**
   * Opens one session for each of the {@code users} users ({@code POST /v1/auth} with
   * {@code "session": true}), outside Gatling's statistics, unless the tokens came from a file.
   */
  void openSessions() {
    if (fromFile()) {
      return;
    }
    HttpClient client = settings.client;
    List<String> opened = new ArrayList<>(settings.users);
    String lastFailure = "";
    for (int i = 0; i < settings.users; i++) {
      String username = settings.username(settings.firstUser + i);
      try {
        HttpResponse<String> response = client.send(settings.plainSessionRequest(username),
            HttpResponse.BodyHandlers.ofString());
        Matcher token = TOKEN.matcher(response.body());
        if (response.statusCode() == 200 && token.find()) {
          opened.add(token.group(1));
        } else {
          lastFailure = username + " -> " + response.statusCode() + " " + response.body();
        }
      } catch (IOException e) {
        lastFailure = username + " -> " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while opening sessions", e);
      }
    }
    if (opened.size() < settings.users) {
      throw new IllegalStateException("sessions: " + (settings.users - opened.size()) + " of " + settings.users
          + " logins opened no session (last: " + lastFailure + "); check -Dusers, -Dfirst.user, -Dpassword");
    }
    tokens = List.copyOf(opened);
    System.out.println("sessions: " + opened.size() + " opened (users " + settings.username(settings.firstUser)
        + ".." + settings.username(settings.firstUser + settings.users - 1) + ")");
  }

  /** Makes up {@code users} tokens shaped like the gateway's (43 base64url characters), for the baseline. */
  void makeUpTokens() {
    if (fromFile()) {
      return;
    }
    SecureRandom random = new SecureRandom();
    List<String> made = new ArrayList<>(settings.users);
    for (int i = 0; i < settings.users; i++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      made.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    tokens = List.copyOf(made);
  }

  /**
   * Sends the request once with the first token, outside Gatling, and fails fast unless the answer
   * is a 200 carrying {@code header}: a wrong URL, a dead session file or a gateway without
   * sessions shows before any load.
   *
   * @param header the header a good answer carries
   */
  void requireAnswer(String header) {
    if (tokens.isEmpty()) {
      throw new IllegalStateException("no session tokens" + (fromFile() ? " in " + sessionsFile : ""));
    }
    try {
      HttpResponse<Void> response = settings.client.send(plainRequest(tokens.get(0)),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200 || response.headers().firstValue(header).isEmpty()) {
        throw new IllegalStateException("GET " + settings.baseUrl + path + " with a session answered "
            + response.statusCode() + (response.statusCode() == 200 ? " without " + header : "")
            + "; expected 200 with " + header);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + settings.baseUrl + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static List<String> readTokens(Path file) {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.US_ASCII)) {
      List<String> read = lines.map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      if (read.isEmpty()) {
        throw new IllegalArgumentException("-Dsessions.file=" + file + " holds no token");
      }
      return read;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read -Dsessions.file=" + file, e);
    }
  }
}
