package io.authgate.gateway.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's bound on validations in flight, with a worker pool of one thread held busy on purpose. */
class SamlEngineTest {
  private final IdpFixture idp = IdpFixture.main();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void beyondTheLimitAResponseIsRefusedAtOnceAndTheLimitFreesUpWhenValidationsEnd() throws Exception {
    ServiceProvider sp = IdpFixture.sp();
    SamlEngine engine = new SamlEngine(vertx, sp, idp.registry(true), 2);
    await(engine.initialize());
    String first = IdpFixture.post(idp.signedAssertion(idp.response(sp, null, "alice@example.com")));
    String second = IdpFixture.post(idp.signedAssertion(idp.response(sp, null, "bob@example.com")));
    String third = IdpFixture.post(idp.signedAssertion(idp.response(sp, null, "carol@example.com")));
    Expectations unsolicited = Expectations.unsolicited();

    // The only worker is busy, so the first two wait for it: two pending, the limit.
    CountDownLatch release = new CountDownLatch(1);
    vertx.executeBlocking(() -> release.await(10, TimeUnit.SECONDS), false);
    Future<ValidatedAssertion> a = engine.validate(first, unsolicited);
    Future<ValidatedAssertion> b = engine.validate(second, unsolicited);
    Future<ValidatedAssertion> refused = engine.validate(third, unsolicited);
    assertThat(refused.failed()).as("refused before any work").isTrue();
    assertThat(refused.cause()).isInstanceOf(SamlEngine.Busy.class);

    release.countDown();
    assertThat(await(a).nameId()).isEqualTo("alice@example.com");
    assertThat(await(b).nameId()).isEqualTo("bob@example.com");
    assertThat(await(engine.validate(third, unsolicited)).nameId()).as("room again once they ended")
        .isEqualTo("carol@example.com");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
