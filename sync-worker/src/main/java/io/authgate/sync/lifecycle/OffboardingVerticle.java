package io.authgate.sync.lifecycle;

import io.authgate.core.config.AdminConfig;
import io.authgate.core.config.IdpConfig;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.lifecycle.AccountKeys;
import io.authgate.core.lifecycle.Lifecycle;
import io.authgate.core.lifecycle.LifecycleEffects;
import io.authgate.core.lifecycle.OffboardingSweep;
import io.authgate.core.runtime.Platform;
import io.authgate.core.store.UserQueries;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link OffboardingSweep} every {@code admin.offboarding.sweepInterval} (one sweep at a
 * time in this process; sweeps of other processes never change an account twice).
 */
public final class OffboardingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OffboardingVerticle.class);
  private final Platform platform;
  private final Pool pool;
  private OffboardingSweep sweep;
  private long timer = -1;
  private boolean running;

  /**
   * @param platform the process's shared infrastructure
   * @param pool the store
   */
  public OffboardingVerticle(Platform platform, Pool pool) {
    this.platform = platform;
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    AdminConfig admin = platform.config().admin();
    sweep = new OffboardingSweep(pool, new Lifecycle(new UserQueries(pool), admin.deprovisionAfter(),
        admin.anonymiseAfter()), new LifecycleEffects(platform.accounts(), platform.broadcaster(),
        new AccountKeys(platform.accounts().verifier(), AccountKeys.configuredAndStored(
            platform.config().saml().idps().stream().map(IdpConfig::id).toList(), new IdentityProviders(pool)))));
    long interval = admin.sweepInterval().toMillis();
    timer = vertx.setPeriodic(Math.min(interval, 5_000), interval, t -> sweepOnce());
    return Future.succeededFuture();
  }

  private void sweepOnce() {
    if (running) {
      return;
    }
    running = true;
    sweep.run()
        .onSuccess(result -> {
          if (result.deprovisioned() + result.anonymised() > 0) {
            LOG.atInfo().addKeyValue("event", "lifecycle.sweep").addKeyValue("deprovisioned", result.deprovisioned())
                .addKeyValue("anonymised", result.anonymised()).log("offboarding dates applied");
          }
        })
        .onFailure(e -> LOG.warn("offboarding sweep failed: {}", e.toString()))
        .onComplete(done -> running = false);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
