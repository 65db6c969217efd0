package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The knobs shared by the simulations, read from system properties (pass them as
 * {@code -Dname=value} to {@code mvn gatling:test}; the Gatling Maven plugin hands them to the
 * forked Gatling JVM). Immutable.
 *
 * <ul>
 *   <li>{@code base.url}: the gateway, default {@code http://127.0.0.1:8080}
 *   <li>{@code rate}: arrival rate, new requests per second (open model)
 *   <li>{@code duration}: seconds of constant-rate load
 *   <li>{@code users}: how many directory users the simulation draws from
 *   <li>{@code first.user}: the number of the first user ({@code user.prefix} + number)
 *   <li>{@code user.prefix}: default {@code user}, so users are {@code user1}, {@code user2}, ...
 *   <li>{@code password}: every benchmark user's password
 *   <li>{@code min.rps}: the throughput floor the assertions demand, default 1000
 *   <li>{@code max.error.pct}: the largest share of failed requests accepted, default 1.0
 *   <li>{@code body}: how credentials are sent: {@code json} (default), {@code form} or
 *       {@code basic} (an {@code Authorization: Basic} header)
 *   <li>{@code assertions}: {@code false} to run without pass/fail assertions (warm-up runs)
 *   <li>{@code share.connections}: {@code true} (default) for one keep-alive connection pool shared
 *       by all virtual users, like a reverse proxy or an application server in front of the
 *       gateway; {@code false} for a new connection per request
 * </ul>
 */
final class LoadSettings {
  static final String AUTH_PATH = "/v1/auth";

  final String baseUrl;
  final double rate;
  final int durationSeconds;
  final int users;
  final long firstUser;
  final String userPrefix;
  final String password;
  final double minRps;
  final double maxErrorPercent;
  final boolean assertions;
  final boolean shareConnections;
  final String body;

  private LoadSettings(double defaultRate, int defaultDuration, int defaultUsers) {
    baseUrl = stripSlash(System.getProperty("base.url", "http://127.0.0.1:8080"));
    rate = positive("rate", Double.parseDouble(System.getProperty("rate", Double.toString(defaultRate))));
    durationSeconds = (int) positive("duration", Integer.parseInt(System.getProperty("duration",
        Integer.toString(defaultDuration))));
    users = (int) positive("users", Integer.parseInt(System.getProperty("users", Integer.toString(defaultUsers))));
    firstUser = Long.parseLong(System.getProperty("first.user", "1"));
    userPrefix = System.getProperty("user.prefix", "user");
    password = System.getProperty("password", "bench-password");
    minRps = Double.parseDouble(System.getProperty("min.rps", "1000"));
    maxErrorPercent = Double.parseDouble(System.getProperty("max.error.pct", "1.0"));
    assertions = Boolean.parseBoolean(System.getProperty("assertions", "true"));
    shareConnections = Boolean.parseBoolean(System.getProperty("share.connections", "true"));
    body = System.getProperty("body", "json").toLowerCase(Locale.ROOT);
    if (!List.of("json", "form", "basic").contains(body)) {
      throw new IllegalArgumentException("-Dbody must be json, form or basic, got " + body);
    }
    if (password.contains("\"") || password.contains("\\")) {
      throw new IllegalArgumentException("password must not contain '\"' or '\\' (it is sent in a JSON template)");
    }
  }

  /**
   * @param defaultRate the arrival rate when {@code -Drate} is absent
   * @param defaultDuration the duration when {@code -Dduration} is absent
   * @param defaultUsers the user count when {@code -Dusers} is absent
   * @return the settings of this run
   */
  static LoadSettings read(double defaultRate, int defaultDuration, int defaultUsers) {
    return new LoadSettings(defaultRate, defaultDuration, defaultUsers);
  }

  /** @return how many requests the constant-rate phase injects */
  long plannedRequests() {
    return (long) Math.ceil(rate * durationSeconds);
  }

  /** @return the login name of the user with the given number */
  String username(long number) {
    return userPrefix + number;
  }

  /** @return the HTTP protocol: JSON in and out, warmed up against the gateway, never off-box */
  HttpProtocolBuilder protocol() {
    HttpProtocolBuilder protocol = http
        .baseUrl(baseUrl)
        .warmUp(baseUrl + "/health/live")
        .acceptHeader("application/json")
        .userAgentHeader("authgate-load-tests");
    return shareConnections ? protocol.shareConnections() : protocol;
  }

  /**
   * @param name the request's name in the statistics
   * @return {@code POST /v1/auth} with the session's {@code username} and the shared password, in
   *     the {@code -Dbody} format
   */
  HttpRequestActionBuilder authRequest(String name) {
    HttpRequestActionBuilder request = http(name).post(AUTH_PATH);
    return switch (body) {
      case "form" -> request.formParam("username", "#{username}").formParam("password", password);
      case "basic" -> request.basicAuth("#{username}", password);
      default -> request.header("Content-Type", "application/json").body(StringBody("{\"username\":\"#{username}\",\"password\":\"" + password + "\"}"));
    };
  }

  /**
   * The pass/fail criteria: Gatling's mean throughput (all requests over the run) at least
   * {@code min.rps}, successful requests at least {@code min.rps} for every second of load, and
   * failures under {@code max.error.pct} percent.
   *
   * @return the assertions, or none when {@code -Dassertions=false}
   */
  List<Assertion> assertionList() {
    List<Assertion> list = new ArrayList<>();
    if (!assertions) {
      return list;
    }
    list.add(global().requestsPerSec().gte(minRps));
    list.add(global().successfulRequests().count().gte((long) Math.ceil(minRps * durationSeconds)));
    list.add(global().failedRequests().percent().lt(maxErrorPercent));
    return list;
  }

  /** Fails fast, before any load, when the gateway does not answer {@code /health/ready} with 200. */
  void requireReady(HttpClient client) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new IllegalStateException(baseUrl + "/health/ready answered " + status + "; is the gateway up?");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + baseUrl + "/health/ready: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * @param username the user to log in
   * @return the same login as {@link #authRequest(String)}, for requests sent outside Gatling
   */
  HttpRequest plainAuthRequest(String username) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + AUTH_PATH))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json");
    return switch (body) {
      case "form" -> builder.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("username=" + form(username) + "&password=" + form(password)))
          .build();
      case "basic" -> builder.header("Authorization", "Basic " + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)))
          .POST(HttpRequest.BodyPublishers.noBody())
          .build();
      default -> builder.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
          .build();
    };
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** @return a one-line description of the run for the console */
  String describe(String simulation) {
    return String.format(Locale.ROOT,
        "%s: %s%s (%s), %.1f req/s for %d s, users %s%d..%s%d, floor %.1f req/s, errors < %.2f%%%s%s",
        simulation, baseUrl, AUTH_PATH, body, rate, durationSeconds, userPrefix, firstUser, userPrefix,
        firstUser + users - 1, minRps, maxErrorPercent, assertions ? "" : " (assertions off)",
        shareConnections ? ", shared keep-alive connections" : ", one connection per request");
  }

  private static double positive(String name, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException("-D" + name + " must be positive, got " + value);
    }
    return value;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
