package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * The verify path: what a reverse proxy (Traefik {@code ForwardAuth}, Caddy {@code forward_auth})
 * asks the gateway for every request it protects. {@code -Dusers} sessions (default 100) are opened
 * before the load ({@code POST /v1/auth} with {@code "session": true} for users
 * {@code first.user ..}, in {@link #before()}, outside Gatling's statistics), or read from
 * {@code -Dsessions.file} (one token a line; bench.sh opens them as a step of its own, so that wrk
 * uses the same ones); then every request is {@code GET /v1/verify/forward-auth} (or
 * {@code -Dverify.path}) with one of the session cookies, drawn at random, and the forwarded
 * headers of {@link ForwardedRequests}. The gateway answers from its session store (in process,
 * read again from Redis every 10 s): no LDAP, no password check.
 *
 * <p>Two modes ({@code -Dmode}, see {@link LoadSettings}): {@code rate} (default), an open model at
 * {@code -Drate} requests a second (default 1000); {@code capacity}, a closed model of
 * {@code -Dconcurrency} virtual users (default 64) each sending the next request as soon as the
 * previous answer arrived: the maximum throughput.
 *
 * <p>Checks: HTTP 200 and a {@code Remote-User} header (the identity the proxy passes upstream).
 * Assertions: see {@link LoadSettings#assertionList()} (under {@code max.error.pct}, 1 %, failed).
 */
public class VerifySimulation extends Simulation {
  /** The verify endpoint of Traefik and Caddy. */
  static final String PATH = "/v1/verify/forward-auth";

  private final LoadSettings settings = LoadSettings.read(1000, 64, 60, 100);
  private final ForwardedRequests requests =
      new ForwardedRequests(settings, System.getProperty("verify.path", PATH));

  private ChainBuilder verify(boolean silent) {
    HttpRequestActionBuilder request = requests.request("GET " + requests.path + " (session)")
        .check(status().is(200))
        .check(header("Remote-User").exists());
    return feed(requests.feeder).exec(silent ? request.silent() : request);
  }

  {
    System.out.println(settings.describe("VerifySimulation", "GET " + requests.path + ", "
        + (requests.fromFile() ? requests.tokenCount() + " sessions from " + requests.sessionsFile
            : settings.users + " sessions opened before the load")));
    setUp(settings.population("verify", this::verify))
        .protocols(requests.protocol())
        .assertions(settings.assertionList());
  }

  /** Checks the gateway is ready, opens the sessions (unless read from a file), tries one verify. */
  @Override
  public void before() {
    settings.requireReady(settings.client);
    requests.openSessions();
    requests.requireAnswer("Remote-User");
  }

  @Override
  public void after() {
    LoadSettings.window("end");
  }
}
