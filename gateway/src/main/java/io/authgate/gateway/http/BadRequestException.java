package io.authgate.gateway.http;

/** The request is malformed; answered with 400 and the message as the problem's detail. */
public final class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param detail what is wrong, shown to the client: never include a secret */
  public BadRequestException(String detail) {
    super(detail, null, false, false);
  }
}
