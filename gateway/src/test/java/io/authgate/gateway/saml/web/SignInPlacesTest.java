package io.authgate.gateway.saml.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SignInPlacesTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(5_000 * MS);

  private SignInPlaces places(int least, int maxResponseBytes, Duration backlog) {
    return new SignInPlaces(least, maxResponseBytes, backlog, now::get);
  }

  /** Takes and frees this many places at once, as that many sign-ins finished. */
  private static void finish(SignInPlaces places, int count) {
    for (int i = 0; i < count; i++) {
      assertThat(places.take(10)).isTrue();
      places.free(10);
    }
  }

  @Test
  void withNothingFinishedThereAreTheLeastPlacesAndTheNextIsRefused() {
    SignInPlaces places = places(2, 1_000, Duration.ofSeconds(1));
    assertThat(places.take(10)).isTrue();
    assertThat(places.take(10)).isTrue();
    assertThat(places.take(10)).isFalse();
    assertThat(places.taken()).isEqualTo(2);
    places.free(10);
    assertThat(places.take(10)).as("a freed place is taken again").isTrue();
  }

  @Test
  void thereAreAsManyPlacesAsSignInsFinishedInTheLastBacklog() {
    SignInPlaces places = places(2, 1_000, Duration.ofSeconds(1));
    finish(places, 5);
    now.addAndGet(500 * MS);
    finish(places, 3);
    assertThat(places.places()).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      assertThat(places.take(10)).isTrue();
    }
    assertThat(places.take(10)).isFalse();
    assertThat(places.state()).isEqualTo("8 of 8 places taken, 80 of 2000 bytes of responses held");
    // The first five finished over a second ago: they no longer count, the last three do.
    now.addAndGet(600 * MS);
    assertThat(places.places()).isEqualTo(3);
    // A stall: nothing finished for a whole backlog, so back to the least.
    now.addAndGet(1_000 * MS);
    assertThat(places.places()).isEqualTo(2);
  }

  @Test
  void theResponsesHeldNeverExceedTheLeastPlacesTimesTheLargestResponse() {
    SignInPlaces places = places(2, 1_000, Duration.ofSeconds(1));
    finish(places, 100);
    assertThat(places.take(1_000)).isTrue();
    assertThat(places.take(900)).isTrue();
    assertThat(places.take(101)).as("2,001 bytes").isFalse();
    assertThat(places.take(100)).as("2,000 bytes, and places to spare").isTrue();
    places.free(1_000);
    assertThat(places.take(1_000)).isTrue();
  }

  @Test
  void aBacklogOfZeroKeepsTheCountFixed() {
    SignInPlaces places = places(2, 1_000, Duration.ZERO);
    finish(places, 100);
    assertThat(places.places()).isEqualTo(2);
    assertThat(places.take(10)).isTrue();
    assertThat(places.take(10)).isTrue();
    assertThat(places.take(10)).isFalse();
  }

  @Test
  void aClockBelowZeroCountsTheSame() {
    now.set(-3_000 * MS);
    SignInPlaces places = places(1, 1_000, Duration.ofSeconds(1));
    finish(places, 4);
    now.addAndGet(900 * MS);
    assertThat(places.places()).isEqualTo(4);
    now.addAndGet(200 * MS);
    assertThat(places.places()).isEqualTo(1);
  }
}
