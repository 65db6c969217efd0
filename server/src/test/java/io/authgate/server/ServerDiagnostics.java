package io.authgate.server;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.PreInterruptCallback;
import org.junit.jupiter.api.extension.PreInterruptContext;

/**
 * When a test runs out of time (the build's {@code junit.jupiter.execution.timeout.default}), prints
 * each server it still has running, with the server's thread dump, before JUnit interrupts the test:
 * a test stuck waiting on a server is then explained by what the server was doing.
 */
final class ServerDiagnostics implements PreInterruptCallback {

  @Override
  public void beforeThreadInterrupt(PreInterruptContext preInterruptContext, ExtensionContext extensionContext) {
    for (ServerProcess server : ServerProcess.LIVE) {
      server.requestThreadDump();
      System.err.println("=== " + extensionContext.getDisplayName() + " ran out of time; " + server.describe());
    }
  }
}
