package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * The baseline of {@link VerifySimulation}: the very same requests (session cookie, forwarded
 * headers, {@code Accept}) sent to {@link HelloWorldServer}, a bare Vert.x HTTP server with the
 * gateway's Vert.x, transport and instance count, which answers 200 and a few headers without
 * looking at them. Same modes, same load, same assertions; the check is HTTP 200 and an
 * {@code X-Hello} header, one header check as the verify simulation has. {@code -Dbase.url} is the
 * hello-world server; {@code -Dhello.path} the path (default {@code /}); the tokens come from
 * {@code -Dsessions.file} (bench.sh passes the verify phases' file, so the requests are byte for
 * byte the same but for the path) or are made up.
 */
public class HelloWorldSimulation extends Simulation {
  private final LoadSettings settings = LoadSettings.read(1000, 64, 60, 100);
  private final ForwardedRequests requests = new ForwardedRequests(settings, System.getProperty("hello.path", "/"));

  private ChainBuilder hello(boolean silent) {
    HttpRequestActionBuilder request = requests.request("GET " + requests.path + " (hello world)")
        .check(status().is(200))
        .check(header("X-Hello").exists());
    return feed(requests.feeder).exec(silent ? request.silent() : request);
  }

  {
    System.out.println(settings.describe("HelloWorldSimulation", "GET " + requests.path + ", "
        + (requests.fromFile() ? requests.tokenCount() + " session cookies from " + requests.sessionsFile
            : settings.users + " made-up session cookies")));
    setUp(settings.population("hello world", this::hello))
        .protocols(requests.protocol())
        .assertions(settings.assertionList());
  }

  /** Makes up the tokens (unless read from a file) and checks the server answers as it should. */
  @Override
  public void before() {
    requests.makeUpTokens();
    requests.requireAnswer("X-Hello");
  }

  @Override
  public void after() {
    LoadSettings.window("end");
  }
}
