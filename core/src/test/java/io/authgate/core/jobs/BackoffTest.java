package io.authgate.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void theDefaultWaitsOneFiveThenThirtyMinutes() {
    assertThat(Backoff.DEFAULT.after(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(Backoff.DEFAULT.after(2)).isEqualTo(Duration.ofMinutes(5));
    assertThat(Backoff.DEFAULT.after(3)).isEqualTo(Duration.ofMinutes(30));
    assertThat(Backoff.DEFAULT.after(9)).as("the last delay repeats").isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aBackoffNeedsDelays() {
    assertThatThrownBy(() -> new Backoff(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
