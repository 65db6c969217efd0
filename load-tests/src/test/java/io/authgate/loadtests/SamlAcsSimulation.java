package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.flushCookieJar;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The SAML assertion consumer service: every request is what a browser posts after an
 * IdP-initiated sign-in, {@code POST /saml/acs} with a form field {@code SAMLResponse} holding a
 * fresh signed response, the next unused line of {@code -Dresponses.file} (made by
 * {@code io.authgate.loadtests.saml.SamlResponseGenerator}; see {@link SamlResponseFile}). The
 * gateway validates it (signature, issuer, audience, destination, recipient, times), records its
 * assertion ID in the replay cache (Redis), finds or provisions the account (PostgreSQL), opens a
 * session (Redis) and answers 303 with the session cookie and a {@code Location}. Each request is
 * a browser of its own: the cookie jar is emptied after every answer, and redirects are not
 * followed.
 *
 * <p>The gateway must trust the generator's IdP with {@code allowIdpInitiated: true} (the responses
 * answer no AuthnRequest) and {@code jit: true} for the first sign-in of each user. A run consumes
 * one response per request, warm-up included, so give it more than the gateway can take
 * ({@code BENCH-RESPONSES used N of the file} says how many were used). When the file runs out the
 * run stops early, cleanly: the user that found it empty stops the load generator, so the measured
 * load ends there and its figure covers the seconds it ran; {@code after()} warns
 * ({@code BENCH-WARNING}) that the file was too short.
 *
 * <p>Two modes ({@code -Dmode}, see {@link LoadSettings}): {@code rate} (default), an open model at
 * {@code -Drate} sign-ins a second (default 1500); {@code capacity}, a closed model of
 * {@code -Dconcurrency} virtual users (default 64) each posting the next response as soon as the
 * previous answer arrived: the maximum throughput. Checks: HTTP 303 and a {@code Location} header.
 * Assertions: see {@link LoadSettings#assertionList()} ({@code -Dmin.rps}, {@code -Dmax.error.pct}).
 */
public class SamlAcsSimulation extends Simulation {
  /** The assertion consumer service. */
  static final String ACS_PATH = "/saml/acs";
  /** The session attribute holding the response to post. */
  private static final String RESPONSE = "samlResponse";
  /** The session attribute set when the file had no response left for this user. */
  private static final String EXHAUSTED = "responsesExhausted";

  private final LoadSettings settings = LoadSettings.read(1500, 64, 60, 1);
  private final Path responsesFile = Path.of(required("responses.file"));
  private final SamlResponseFile responses = new SamlResponseFile(responsesFile);

  private ChainBuilder signIn(boolean silent) {
    HttpRequestActionBuilder request = http("POST " + ACS_PATH + " (IdP-initiated)")
        .post(ACS_PATH)
        .formParam("SAMLResponse", "#{" + RESPONSE + "}")
        .check(status().is(303))
        .check(header("Location").exists());
    return exec(session -> {
          String response = responses.poll();
          return response == null ? session.set(EXHAUSTED, true) : session.set(RESPONSE, response);
        })
        .stopLoadGeneratorIf("every response of " + responsesFile + " was used",
            session -> session.contains(EXHAUSTED))
        .doIf(session -> !session.contains(EXHAUSTED))
        .then(exec(silent ? request.silent() : request).exec(flushCookieJar()));
  }

  {
    System.out.println(settings.describe("SamlAcsSimulation", "POST " + ACS_PATH + ", fresh responses from "
        + responsesFile));
    setUp(settings.population("saml acs", this::signIn))
        .protocols(protocol())
        .assertions(settings.assertionList());
  }

  /** @return a browser's form post, redirects not followed, one keep-alive pool (like a proxy in front) */
  private HttpProtocolBuilder protocol() {
    HttpProtocolBuilder protocol = http
        .baseUrl(settings.baseUrl)
        .warmUp(settings.baseUrl + "/health/live")
        .acceptHeader("text/html,application/xhtml+xml")
        .userAgentHeader("authgate-load-tests")
        .disableFollowRedirect();
    return settings.shareConnections ? protocol.shareConnections() : protocol;
  }

  /** Fails fast when the gateway is not ready or refuses the first response (a configuration mistake). */
  @Override
  public void before() {
    settings.requireReady(settings.client);
    String first = responses.poll();
    if (first == null) {
      throw new IllegalStateException("-Dresponses.file=" + responsesFile + " holds no response");
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(settings.baseUrl + ACS_PATH))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse="
            + URLEncoder.encode(first, StandardCharsets.UTF_8)))
        .build();
    try {
      HttpResponse<Void> response = settings.client.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 303 || response.headers().firstValue("Location").isEmpty()) {
        throw new IllegalStateException("POST " + settings.baseUrl + ACS_PATH + " with the first response answered "
            + response.statusCode() + "; expected 303 with a Location (is the bench IdP configured, with"
            + " allowIdpInitiated and jit? see the gateway's log)");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + settings.baseUrl + ACS_PATH + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Says how many responses the run used, so a file too short for the gateway shows. */
  @Override
  public void after() {
    LoadSettings.window("end");
    System.out.println("BENCH-RESPONSES used " + responses.used() + " of the file" + (responses.exhausted()
        ? " (all of them)" : ""));
    if (responses.exhausted()) {
      System.out.println("BENCH-WARNING every response of " + responsesFile + " was used: the run stopped early"
          + " and its figure covers only the seconds it ran; generate more (BENCH_SAML_MAX_RPS)");
    }
    responses.close();
  }

  private static String required(String property) {
    String value = System.getProperty(property, "");
    if (value.isBlank()) {
      throw new IllegalArgumentException("-D" + property + " is required");
    }
    return value;
  }
}
