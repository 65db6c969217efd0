package io.authgate.gateway.auth;

import io.authgate.gateway.http.BadRequestException;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The rules credentials must meet before anything else sees them: a username without control,
 * format or bidi characters, at most {@value #MAX_USERNAME} characters; a password that is not
 * blank (an empty-password bind is an anonymous bind that succeeds) and at most
 * {@value #MAX_PASSWORD} characters. Neither may hold U+FFFD, which a form's or a Basic header's
 * decoder puts in place of bytes that were not UTF-8: a password sent in Latin-1 would otherwise
 * reach the directory as another password and count as a failure against the account, and the
 * client would be told its password was wrong rather than how it was sent.
 */
final class InputRules {
  static final int MAX_USERNAME = 256;
  static final int MAX_PASSWORD = 1024;
  static final int MAX_REALM = 63;
  /** What a decoder puts in place of bytes that are not UTF-8. */
  private static final char NOT_UTF8 = '\uFFFD';

  private InputRules() {}

  /** @return the username trimmed and in NFC */
  static String username(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new BadRequestException("username is required");
    }
    String username = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    if (username.length() > MAX_USERNAME) {
      throw new BadRequestException("username is longer than " + MAX_USERNAME + " characters");
    }
    for (int i = 0; i < username.length(); ) {
      int cp = username.codePointAt(i);
      if (cp == NOT_UTF8) {
        throw new BadRequestException(notUtf8("username"));
      }
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED || type == Character.SURROGATE) {
        throw new BadRequestException("username contains a control or formatting character");
      }
      i += Character.charCount(cp);
    }
    return username;
  }

  /** @return the password, unchanged */
  static String password(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new BadRequestException("password is required");
    }
    if (blank(raw)) {
      throw new BadRequestException("password must not be blank");
    }
    if (raw.length() > MAX_PASSWORD) {
      throw new BadRequestException("password is longer than " + MAX_PASSWORD + " characters");
    }
    if (raw.indexOf('\0') >= 0) {
      throw new BadRequestException("password contains a NUL character");
    }
    if (raw.indexOf(NOT_UTF8) >= 0) {
      throw new BadRequestException(notUtf8("password"));
    }
    return raw;
  }

  private static String notUtf8(String field) {
    return field + " holds U+FFFD, the mark of bytes that were not UTF-8: send credentials in UTF-8";
  }

  /** @return whether every character is white space (a loop: a stream per login showed in profiles) */
  private static boolean blank(String raw) {
    for (int i = 0; i < raw.length(); ) {
      int c = raw.codePointAt(i);
      if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /** @return the realm in lower case, or null when absent */
  static String realm(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String realm = raw.strip().toLowerCase(Locale.ROOT);
    if (realm.length() > MAX_REALM || !realm.matches("[a-z0-9][a-z0-9_-]*")) {
      throw new BadRequestException("realm is not a valid directory name");
    }
    return realm;
  }
}
