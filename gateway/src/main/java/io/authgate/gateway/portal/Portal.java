package io.authgate.gateway.portal;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.IdpConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the login page is, as browsers reach it, and where a sign-in or sign-out may send them
 * back. Without configuration the page is the gateway's own {@code /login} and only its host may be
 * returned to. Thread-safe; only its list of identity providers changes ({@link #showIdps}).
 */
public final class Portal {
  /** The login page's path on the gateway. */
  public static final String LOGIN_PATH = "/login";
  /** The browser logout path. */
  public static final String LOGOUT_PATH = "/logout";

  /** The SP-initiated SAML login path; {@code {idp}} is the identity provider's id. */
  public static final String SAML_LOGIN_PATH = "/saml/{idp}/login";

  private final URI loginUrl;
  private final URI defaultRedirect;
  private final RedirectGuard guard;
  private volatile List<IdpButton> idps;

  /**
   * A "Sign in with ..." button of the login page.
   *
   * @param label the identity provider's display name
   * @param url where the button leads, with the return URL when one was given
   */
  public record IdpButton(String label, String url) {}

  /** @param config the whole configuration: portal, session cookie domain, HTTP listener */
  public Portal(AuthgateConfig config) {
    String host = config.http().host().equals("0.0.0.0") || config.http().host().equals("::")
        ? "127.0.0.1" : config.http().host();
    this.loginUrl = config.portal().url()
        .orElseGet(() -> URI.create("http://" + host + ":" + config.http().port() + LOGIN_PATH));
    this.defaultRedirect = config.portal().defaultRedirect().orElse(loginUrl);
    List<String> domains = new ArrayList<>(config.portal().allowedRedirectDomains());
    if (domains.isEmpty()) {
      domains.add(loginUrl.getHost().toLowerCase(Locale.ROOT));
      config.session().cookieDomain().map(d -> d.toLowerCase(Locale.ROOT)).ifPresent(domains::add);
    }
    this.guard = new RedirectGuard(domains);
    showIdps(config.saml().idps());
  }

  /** Replaces the login page's identity-provider buttons, one per IdP in this order. */
  public void showIdps(List<IdpConfig> configs) {
    this.idps = configs.stream()
        .map(idp -> new IdpButton(idp.displayName(), beside(SAML_LOGIN_PATH.replace("{idp}", idp.id()))))
        .toList();
  }

  /** @return the path {@code path} on the gateway, as browsers reach the login page */
  private String beside(String path) {
    String login = formAction();
    return (login.endsWith(LOGIN_PATH) ? login.substring(0, login.length() - LOGIN_PATH.length()) : "") + path;
  }

  /** @return a button per configured identity provider, each carrying {@code returnTo} (may be null) */
  public List<IdpButton> idpButtons(String returnTo) {
    List<IdpButton> buttons = idps;
    if (returnTo == null) {
      return buttons;
    }
    String rd = "?rd=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    return buttons.stream().map(b -> new IdpButton(b.label(), b.url() + rd)).toList();
  }

  /** @return the login page's URL, with {@code rd} set to where to come back when it is known */
  public String loginUrl(String returnTo) {
    return returnTo == null ? loginUrl.toString()
        : loginUrl + (loginUrl.getRawQuery() == null ? "?" : "&") + "rd=" + URLEncoder.encode(returnTo,
            StandardCharsets.UTF_8);
  }

  /** @return where to send the browser: {@code candidate} when it is allowed, else the default */
  public String redirectTarget(String candidate) {
    return guard.check(candidate).orElse(defaultRedirect).toString();
  }

  /** @return the login page's path as browsers see it, where the form posts */
  public String formAction() {
    return loginUrl.getRawPath() == null || loginUrl.getRawPath().isEmpty() ? LOGIN_PATH : loginUrl.getRawPath();
  }

  /** @return the browser logout URL, beside the login page */
  public String logoutUrl() {
    String path = formAction();
    String base = path.endsWith(LOGIN_PATH) ? path.substring(0, path.length() - LOGIN_PATH.length()) : "";
    return loginUrl.resolve(base + LOGOUT_PATH).toString();
  }

  /**
   * @param candidate a return URL a browser brought; may be null
   * @return {@code candidate} when it would be redirected to as given, else null (so nothing carries
   *     a return URL the guard refuses)
   */
  public String acceptedReturn(String candidate) {
    return guard.check(candidate).isPresent() ? candidate : null;
  }
}
