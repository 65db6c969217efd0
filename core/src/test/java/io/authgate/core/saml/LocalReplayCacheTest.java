package io.authgate.core.saml;

import java.time.Duration;

/** Used assertions in process. */
class LocalReplayCacheTest extends ReplayCacheContract {

  @Override
  ReplayCache cache(Duration margin) {
    return new LocalReplayCache(margin);
  }

  @Override
  ReplayCache otherProcess(ReplayCache cache, Duration margin) {
    return cache;
  }
}
