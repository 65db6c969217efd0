package io.authgate.gateway.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.AttributeMapping;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Metadata from a file, inline, and a URL fetched with the WebClient, keeping the last good copy. */
@ExtendWith(NoBlockedThreads.class)
class MetadataSourceTest {
  private final IdpFixture idp = IdpFixture.main();
  private Vertx vertx;
  private WebClient client;
  private HttpServer server;
  private final AtomicReference<String> served = new AtomicReference<>();

  @TempDir
  Path dir;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    client = WebClient.create(vertx);
    server = vertx.createHttpServer().requestHandler(req -> {
      String body = served.get();
      if (body == null) {
        req.response().setStatusCode(503).end();
      } else {
        req.response().putHeader("content-type", "application/samlmetadata+xml").end(body);
      }
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static IdpConfig config(Optional<Path> file, Optional<String> xml, Optional<URI> url) {
    return new IdpConfig("main", "Main", file, xml, url, Duration.ofHours(1), AttributeMapping.none(), false, false,
        List.of(), false, true);
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void fileAndInlineMetadataAreLoaded() throws Exception {
    Path file = Files.writeString(dir.resolve("idp.xml"), idp.metadataXml());
    IdpRegistry fromFile = new IdpRegistry();
    await(MetadataSource.start(vertx, config(Optional.of(file), Optional.empty(), Optional.empty()), fromFile, null));
    assertThat(fromFile.byEntityId(idp.entityId)).isPresent();
    IdpRegistry inline = new IdpRegistry();
    await(MetadataSource.start(vertx, config(Optional.empty(), Optional.of(idp.metadataXml()), Optional.empty()), inline, null));
    assertThat(inline.byId("main").orElseThrow().metadata().entityId()).isEqualTo(idp.entityId);
  }

  @Test
  void urlMetadataIsFetchedAndAFailedRefreshKeepsTheLastGoodCopy() throws Exception {
    served.set(idp.metadataXml());
    URI url = URI.create("http://127.0.0.1:" + server.actualPort() + "/metadata");
    IdpRegistry registry = new IdpRegistry();
    MetadataSource source = await(MetadataSource.start(vertx, config(Optional.empty(), Optional.empty(),
        Optional.of(url)), registry, client));
    assertThat(registry.byId("main").orElseThrow().metadata().signingCertificates())
        .containsExactly(idp.key.getEntityCertificate());

    served.set("<not-metadata/>");
    assertThat(source.refresh().toCompletionStage().toCompletableFuture()
        .handle((v, e) -> e).get(20, TimeUnit.SECONDS)).isNotNull();
    served.set(null);
    assertThat(source.refresh().toCompletionStage().toCompletableFuture()
        .handle((v, e) -> e).get(20, TimeUnit.SECONDS)).hasMessageContaining("HTTP 503");
    assertThat(registry.byId("main").orElseThrow().metadata().entityId()).isEqualTo(idp.entityId);

    IdpFixture other = IdpFixture.other();
    served.set(other.metadataXml());
    await(source.refresh());
    assertThat(registry.byId("main").orElseThrow().metadata().entityId()).isEqualTo(other.entityId);
    source.stop();
  }

  @Test
  void theFirstLoadFailsWhenTheMetadataIsUnusable() throws Exception {
    IdpRegistry registry = new IdpRegistry();
    Throwable failure = MetadataSource.start(vertx, config(Optional.empty(), Optional.of("<md:EntityDescriptor "
        + "xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"/>"), Optional.empty()), registry, null)
        .toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(20, TimeUnit.SECONDS);
    assertThat(failure).hasMessageContaining("IdP main").hasMessageContaining("IDPSSODescriptor");
    assertThat(registry.all()).isEmpty();
  }

  @Test
  void theAsyncEngineValidatesOffTheEventLoop() throws Exception {
    IdpRegistry registry = idp.registry(false);
    ServiceProvider sp = IdpFixture.sp();
    SamlEngine engine = new SamlEngine(vertx, sp, registry);
    await(engine.initialize());
    var redirect = await(engine.authnRequest(registry.byId("main").orElseThrow(), null));
    String posted = IdpFixture.post(idp.signedAssertion(idp.response(sp, redirect.requestId(), "alice@example.com")));
    ValidatedAssertion a = await(engine.validate(posted, Expectations.solicited("main", redirect.requestId())));
    assertThat(a.nameId()).isEqualTo("alice@example.com");
    assertThat(await(engine.metadata())).contains(sp.acsUrl());
  }
}
