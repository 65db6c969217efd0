package io.authgate.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.redis.RedisStats;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link CredentialCacheIT} again, with each process following Redis's keys through
 * a key index; and what the index saves.
 */
class IndexedCredentialCacheIT extends CredentialCacheIT {

  @Override
  boolean indexed() {
    return true;
  }

  @Test
  void aMissForAnEntryNoProcessWroteAsksRedisNothing() {
    Node b = nodeB();
    String key = VERIFIER.userKey("corp", "nobody-cached-me");
    long getsBefore = gets();

    assertThat(b.cache().lookup(key, VERIFIER.verifier(key, "pw")).await()).isNull();

    assertThat(gets()).as("GETs Redis ran").isEqualTo(getsBefore);
    assertThat(b.count("l2", "miss")).isEqualTo(1);
  }

  private long gets() {
    return RedisStats.commandCalls(nodeA().redis(), "get");
  }
}
