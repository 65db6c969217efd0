package io.authgate.core.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatedWarningTest {

  @Test
  void aBurstLogsOneLineAndTheNextLineCountsWhatWasLeftOut() throws InterruptedException {
    Logger logger = (Logger) LoggerFactory.getLogger("repeated-warning-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      RepeatedWarning warning = new RepeatedWarning(logger, Duration.ofMillis(300));
      ConnectException down = new ConnectException("Connection refused: /127.0.0.1:6379");
      for (int i = 0; i < 1_000; i++) {
        warning.warn("redis cache lookup failed: {}", down);
      }
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("redis cache lookup failed: java.net.ConnectException: Connection refused: /127.0.0.1:6379");

      Thread.sleep(400);
      warning.warn("redis cache lookup failed: {}", down);
      assertThat(lines.list).hasSize(2);
      assertThat(lines.list.get(1).getFormattedMessage()).isEqualTo("redis cache lookup failed: "
          + "java.net.ConnectException: Connection refused: /127.0.0.1:6379 (and 999 more like it since the last such line)");

      Thread.sleep(400);
      warning.warn("redis cache lookup failed: {}", down);
      assertThat(lines.list.get(2).getFormattedMessage()).as("nothing left out since the last line")
          .isEqualTo("redis cache lookup failed: java.net.ConnectException: Connection refused: /127.0.0.1:6379");
    } finally {
      logger.detachAppender(lines);
    }
  }
}
