package io.authgate.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Vert.x reports a blocked thread while it ran: the blocked-thread checker's
 * warnings are captured and turned into a test failure. Use with {@link TestVertx}, whose limits
 * are tight enough to notice a blocking LDAP call on an event loop.
 */
public final class NoBlockedThreads implements BeforeEachCallback, AfterEachCallback {
  /** The logger Vert.x's blocked-thread checker writes to. */
  static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
  private static final ListAppender<ILoggingEvent> WARNINGS = new ListAppender<>();

  static {
    WARNINGS.setName("blocked-thread-warnings");
    WARNINGS.start();
    ((Logger) LoggerFactory.getLogger(CHECKER)).addAppender(WARNINGS);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    synchronized (WARNINGS) {
      WARNINGS.list.clear();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> warnings;
    synchronized (WARNINGS) {
      warnings = WARNINGS.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      WARNINGS.list.clear();
    }
    if (!warnings.isEmpty()) {
      throw new AssertionError("Vert.x reported blocked threads:\n" + String.join("\n", warnings));
    }
  }
}
