package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The knobs shared by the simulations, read from system properties (pass them as
 * {@code -Dname=value} to {@code mvn gatling:test}; the Gatling Maven plugin hands them to the
 * forked Gatling JVM). Immutable.
 *
 * <ul>
 *   <li>{@code base.url}: the gateway, default {@code http://127.0.0.1:8080}
 *   <li>{@code mode}: {@code rate} (default) for an open model, a constant arrival rate of
 *       {@code rate} new requests per second whatever the answers; {@code capacity} for a closed
 *       model, {@code concurrency} virtual users each sending its next request as soon as the
 *       previous answer arrives, which measures the maximum throughput
 *   <li>{@code rate}: arrival rate, new requests per second ({@code rate} mode)
 *   <li>{@code concurrency}: virtual users kept busy ({@code capacity} mode)
 *   <li>{@code duration}: seconds of measured load
 *   <li>{@code warmup}: seconds of the same load before it, default 0, sent with Gatling's
 *       {@code silent()} so they count in no statistic and no assertion: they warm up the
 *       load generator's own JVM and connections as much as the gateway
 *   <li>{@code users}: how many directory users the simulation draws from
 *   <li>{@code first.user}: the number of the first user ({@code user.prefix} + number)
 *   <li>{@code user.prefix}: default {@code user}, so users are {@code user1}, {@code user2}, ...
 *   <li>{@code password}: every benchmark user's password
 *   <li>{@code min.rps}: the throughput floor the assertions demand, default 1000
 *   <li>{@code max.error.pct}: the largest share of failed requests accepted, default 1.0
 *   <li>{@code max.p99.ms}: when set, a further assertion: the 99th percentile of response times
 *       (whole milliseconds, as Gatling records them) below this
 *   <li>{@code body}: how credentials are sent: {@code json} (default), {@code form} or
 *       {@code basic} (an {@code Authorization: Basic} header)
 *   <li>{@code assertions}: {@code false} to run without pass/fail assertions (warm-up runs)
 *   <li>{@code metrics.start.file}: when set, the gateway's {@code /metrics} page is fetched (in the
 *       background) as the first measured request goes out and saved there, so the server's
 *       counters can be read for the measured load alone, without the warm-up
 *   <li>{@code share.connections}: {@code true} (default) for one keep-alive connection pool shared
 *       by all virtual users, like a reverse proxy or an application server in front of the
 *       gateway; {@code false} for a new connection per request
 * </ul>
 */
final class LoadSettings {
  static final String AUTH_PATH = "/v1/auth";

  /** How the load is injected. */
  enum Mode {
    /** Open model: a constant arrival rate, one request per virtual user. */
    RATE,
    /** Closed model: a constant number of virtual users, each looping request after request. */
    CAPACITY
  }

  final String baseUrl;
  final Mode mode;
  final double rate;
  final int concurrency;
  final int durationSeconds;
  final int warmupSeconds;
  final int users;
  final long firstUser;
  final String userPrefix;
  final String password;
  final double minRps;
  final double maxErrorPercent;
  final Integer maxP99Millis;
  final boolean assertions;
  final String metricsStartFile;
  /** For the requests sent outside Gatling: readiness, pre-warm, the /metrics snapshot. */
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final boolean shareConnections;
  final String body;

  private LoadSettings(double defaultRate, int defaultConcurrency, int defaultDuration, int defaultUsers) {
    baseUrl = stripSlash(System.getProperty("base.url", "http://127.0.0.1:8080"));
    mode = mode();
    rate = positive("rate", Double.parseDouble(System.getProperty("rate", Double.toString(defaultRate))));
    concurrency = (int) positive("concurrency", Integer.parseInt(System.getProperty("concurrency",
        Integer.toString(defaultConcurrency))));
    durationSeconds = (int) positive("duration", Integer.parseInt(System.getProperty("duration",
        Integer.toString(defaultDuration))));
    warmupSeconds = Integer.parseInt(System.getProperty("warmup", "0"));
    if (warmupSeconds < 0) {
      throw new IllegalArgumentException("-Dwarmup must not be negative, got " + warmupSeconds);
    }
    users = (int) positive("users", Integer.parseInt(System.getProperty("users", Integer.toString(defaultUsers))));
    firstUser = Long.parseLong(System.getProperty("first.user", "1"));
    userPrefix = System.getProperty("user.prefix", "user");
    password = System.getProperty("password", "bench-password");
    minRps = Double.parseDouble(System.getProperty("min.rps", "1000"));
    maxErrorPercent = Double.parseDouble(System.getProperty("max.error.pct", "1.0"));
    String p99 = System.getProperty("max.p99.ms", "");
    maxP99Millis = p99.isBlank() ? null : (int) positive("max.p99.ms", Integer.parseInt(p99.trim()));
    assertions = Boolean.parseBoolean(System.getProperty("assertions", "true"));
    metricsStartFile = System.getProperty("metrics.start.file", "");
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
   * @param defaultConcurrency the virtual users of capacity mode when {@code -Dconcurrency} is absent
   * @param defaultDuration the duration when {@code -Dduration} is absent
   * @param defaultUsers the user count when {@code -Dusers} is absent
   * @return the settings of this run
   */
  static LoadSettings read(double defaultRate, int defaultConcurrency, int defaultDuration, int defaultUsers) {
    return new LoadSettings(defaultRate, defaultConcurrency, defaultDuration, defaultUsers);
  }

  /** @return the {@code -Dmode} of this run */
  static Mode mode() {
    String value = System.getProperty("mode", "rate").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "rate" -> Mode.RATE;
      case "capacity" -> Mode.CAPACITY;
      default -> throw new IllegalArgumentException("-Dmode must be rate or capacity, got " + value);
    };
  }

  /** @return how many requests the constant-rate phase injects, warm-up included (rate mode) */
  long plannedRequests() {
    return (long) Math.ceil(rate * (durationSeconds + warmupSeconds));
  }

  /**
   * The load of this run: in rate mode, {@code rate} new virtual users a second for
   * {@code duration} seconds, each sending one login; in capacity mode, {@code concurrency}
   * virtual users for {@code duration} seconds, each sending login after login, the next as soon
   * as the previous answer arrived (a closed model, like authrate's threads or wrk's connections).
   *
   * <p>With {@code warmup} seconds, the same load runs that long first, its requests silent (in no
   * statistic), and the measured load follows it ({@code andThen}).
   *
   * @param name the scenario's name
   * @param login one login, a feed and the request with its checks; its argument says whether the
   *     request must be silent
   * @return the scenario(s) with their injection profile
   */
  PopulationBuilder population(String name, Function<Boolean, ChainBuilder> login) {
    AtomicBoolean started = new AtomicBoolean();
    ChainBuilder measured = exec(session -> {
      if (!started.get() && !started.getAndSet(true)) {  // once, and no write on every request
        window("start");
        saveMetricsInBackground();
      }
      return session;
    }).exec(login.apply(false));
    PopulationBuilder population = population(name, measured, durationSeconds);
    if (warmupSeconds == 0) {
      return population;
    }
    return population(name + " warm-up (silent)", login.apply(true), warmupSeconds).andThen(population);
  }

  private PopulationBuilder population(String name, ChainBuilder login, int seconds) {
    if (mode == Mode.CAPACITY) {
      // Each user loops for the whole duration, so constantConcurrentUsers never has to replace one
      // and the concurrency stays at N from the first second to the last.
      return scenario(name + " (capacity, " + concurrency + " concurrent)")
          .during(Duration.ofSeconds(seconds)).on(login)
          .injectClosed(constantConcurrentUsers(concurrency).during(seconds));
    }
    return scenario(name + " (rate, " + rate + "/s)")
        .exec(login)
        .injectOpen(constantUsersPerSec(rate).during(seconds));
  }

  /** Fetches {@code /metrics} into {@code metrics.start.file} without holding up the caller. */
  private void saveMetricsInBackground() {
    if (metricsStartFile.isBlank()) {
      return;
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    client.sendAsync(request, HttpResponse.BodyHandlers.ofFile(Path.of(metricsStartFile)))
        .whenComplete((response, error) -> {
          if (error != null || response.statusCode() != 200) {
            System.out.println("BENCH-WARNING could not save /metrics at the start of the measured load: "
                + (error != null ? error : "HTTP " + response.statusCode()));
          }
        });
  }

  /**
   * Prints the line bench.sh reads to know when the measured load started or ended (its CPU
   * accounting window): {@code BENCH-WINDOW start|end <epoch millis>}.
   */
  static void window(String edge) {
    System.out.println("BENCH-WINDOW " + edge + " " + System.currentTimeMillis());
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
   * The pass/fail criteria, the same in both modes: successful requests at least {@code min.rps}
   * for every second of measured load (the throughput floor, which failures cannot make up),
   * failures under {@code max.error.pct} percent, when {@code max.p99.ms} is set a 99th percentile
   * below it, and without warm-up also Gatling's mean throughput at least {@code min.rps}. With a
   * warm-up that last one is left out: Gatling divides by the whole run, silent warm-up included,
   * so it would understate the rate; the count above asserts the same floor over the measured
   * seconds.
   *
   * @return the assertions, or none when {@code -Dassertions=false}
   */
  List<Assertion> assertionList() {
    List<Assertion> list = new ArrayList<>();
    if (!assertions) {
      return list;
    }
    if (warmupSeconds == 0) {
      list.add(global().requestsPerSec().gte(minRps));
    }
    list.add(global().successfulRequests().count().gte((long) Math.ceil(minRps * durationSeconds)));
    list.add(global().failedRequests().percent().lt(maxErrorPercent));
    if (maxP99Millis != null) {
      list.add(global().responseTime().percentile(99.0).lt(maxP99Millis));
    }
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
    String load = mode == Mode.CAPACITY
        ? String.format(Locale.ROOT, "capacity: %d concurrent users", concurrency)
        : String.format(Locale.ROOT, "rate: %.1f req/s", rate);
    return String.format(Locale.ROOT,
        "%s: %s%s (%s), %s for %d s%s, users %s%d..%s%d, floor %.1f req/s, errors < %.2f%%%s%s%s",
        simulation, baseUrl, AUTH_PATH, body, load, durationSeconds,
        warmupSeconds == 0 ? "" : " after " + warmupSeconds + " s of silent warm-up", userPrefix, firstUser, userPrefix,
        firstUser + users - 1, minRps, maxErrorPercent,
        maxP99Millis == null ? "" : ", p99 < " + maxP99Millis + " ms",
        assertions ? "" : " (assertions off)",
        shareConnections ? ", shared keep-alive connections" : ", one connection per request");
  }

  /**
   * @param simulation the simulation's name
   * @param what the requests, e.g. {@code "GET /v1/verify/forward-auth, 100 sessions"}
   * @return a one-line description of a run that sends something other than logins
   */
  String describe(String simulation, String what) {
    String load = mode == Mode.CAPACITY
        ? String.format(Locale.ROOT, "capacity: %d concurrent users", concurrency)
        : String.format(Locale.ROOT, "rate: %.1f req/s", rate);
    return String.format(Locale.ROOT, "%s: %s %s, %s for %d s%s, floor %.1f req/s, errors < %.2f%%%s%s%s",
        simulation, baseUrl, what, load, durationSeconds,
        warmupSeconds == 0 ? "" : " after " + warmupSeconds + " s of silent warm-up", minRps, maxErrorPercent,
        maxP99Millis == null ? "" : ", p99 < " + maxP99Millis + " ms",
        assertions ? "" : " (assertions off)",
        shareConnections ? ", shared keep-alive connections" : ", one connection per request");
  }

  /**
   * @param username the user to log in
   * @return {@code POST /v1/auth} with JSON credentials and {@code "session": true}: a login that
   *     opens a session (its token in the answer's {@code session.token})
   */
  HttpRequest plainSessionRequest(String username) {
    return HttpRequest.newBuilder(URI.create(baseUrl + AUTH_PATH))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\""
            + password + "\",\"session\":true}"))
        .build();
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
