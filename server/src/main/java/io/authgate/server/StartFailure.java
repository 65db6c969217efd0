package io.authgate.server;

/**
 * A start-up step failed: the message names the setting or service at fault, then the first line
 * of the cause, so the operator sees one line saying what to fix.
 */
final class StartFailure extends Exception {
  private static final long serialVersionUID = 1L;

  StartFailure(String what, Throwable cause) {
    super(what + ": " + firstLine(cause), cause);
  }

  private static String firstLine(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
