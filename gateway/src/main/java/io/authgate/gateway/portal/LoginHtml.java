package io.authgate.gateway.portal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The login page's HTML: one small, accessible document with its style inline and nothing
 * loaded from elsewhere; the Content-Security-Policy allows that style by its hash and nothing
 * else. Every value put in the page is escaped. Stateless.
 */
final class LoginHtml {
  private static final String STYLE = """
      body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d1f24;margin:0}
      main{max-width:22rem;margin:12vh auto;padding:2rem;background:#fff;border-radius:.5rem;\
      box-shadow:0 1px 4px rgba(0,0,0,.15)}
      h1{font-size:1.4rem;margin:0 0 1.2rem}
      label{display:block;margin:.9rem 0 .3rem;font-weight:600}
      input{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #8a8f98;border-radius:.3rem;font-size:1rem}
      input:focus,button:focus,a:focus{outline:3px solid #2563eb;outline-offset:2px}
      button{margin-top:1.4rem;width:100%;padding:.65rem;border:0;border-radius:.3rem;background:#1d4ed8;\
      color:#fff;font-size:1rem;font-weight:600;cursor:pointer}
      .error{background:#fdecea;color:#8a1c12;padding:.6rem;border-radius:.3rem}
      .actions a{display:inline-block;margin-right:1rem}
      .sso{margin-top:1.6rem;border-top:1px solid #d5d8dd;padding-top:.6rem}
      .sso a{display:block;margin-top:.6rem;padding:.6rem;border:1px solid #1d4ed8;border-radius:.3rem;\
      color:#1d4ed8;text-align:center;font-weight:600;text-decoration:none}
      """;
  /** The Content-Security-Policy of every page. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + hash(STYLE)
      + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private LoginHtml() {}

  /**
   * @param action where the form posts
   * @param csrf the CSRF token
   * @param returnTo the return URL to carry, or null
   * @param username the username to prefill, or null
   * @param error a message for the user, or null
   * @param idps a button per SAML identity provider; may be empty
   */
  static String form(String action, String csrf, String returnTo, String username, String error,
                     List<Portal.IdpButton> idps) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>Sign in</h1>\n");
    if (error != null) {
      body.append("<p class=\"error\" role=\"alert\" id=\"error\">").append(escape(error)).append("</p>\n");
    }
    body.append("<form method=\"post\" action=\"").append(escape(action)).append("\">\n")
        .append("<input type=\"hidden\" name=\"").append(CsrfTokens.FIELD).append("\" value=\"").append(escape(csrf))
        .append("\">\n");
    if (returnTo != null) {
      body.append("<input type=\"hidden\" name=\"rd\" value=\"").append(escape(returnTo)).append("\">\n");
    }
    body.append("<label for=\"username\">Username or email</label>\n")
        .append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\""
            + " spellcheck=\"false\" required autofocus")
        .append(error != null ? " aria-describedby=\"error\" aria-invalid=\"true\"" : "")
        .append(" value=\"").append(escape(username == null ? "" : username)).append("\">\n")
        .append("<label for=\"password\">Password</label>\n")
        .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n")
        .append("<button type=\"submit\">Sign in</button>\n</form>\n");
    if (!idps.isEmpty()) {
      body.append("<nav class=\"sso\" aria-label=\"Single sign-on\">\n<p>Or sign in with</p>\n");
      for (Portal.IdpButton idp : idps) {
        body.append("<a href=\"").append(escape(idp.url())).append("\">").append(escape(idp.label())).append("</a>\n");
      }
      body.append("</nav>\n");
    }
    return page("Sign in", body.toString());
  }

  /** The page of someone already signed in. */
  static String signedIn(String name, String username, String continueTo, String logout) {
    String body = "<h1>Signed in</h1>\n<p>You are signed in as <strong>" + escape(name) + "</strong> ("
        + escape(username) + ").</p>\n<p class=\"actions\"><a href=\"" + escape(continueTo) + "\">Continue</a>"
        + "<a href=\"" + escape(logout) + "\">Sign out</a></p>\n";
    return page("Signed in", body);
  }

  /** A page that only tells the user something, with a link onwards. */
  static String message(String title, String text, String link, String linkText) {
    return page(title, "<h1>" + escape(title) + "</h1>\n<p role=\"alert\">" + escape(text) + "</p>\n"
        + "<p class=\"actions\"><a href=\"" + escape(link) + "\">" + escape(linkText) + "</a></p>\n");
  }

  private static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
        + " · authgate</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<main>\n" + body
        + "</main>\n</body>\n</html>\n";
  }

  /** @return the text with HTML's special characters escaped, fit for element content and quoted attributes */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String hash(String style) {
    try {
      return "sha256-" + Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
