package io.authgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamlConfigTest {
  private static final String XMLSOAP = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

  @TempDir
  Path dir;

  private AuthgateConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("authgate.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.withEnvironment(env).load(Optional.of(file));
  }

  @Test
  void withoutASectionSamlIsOffWithItsDefaults() throws IOException {
    AuthgateConfig config = load("http:\n  port: 9000\n  host: 0.0.0.0\n", Map.of());
    SamlConfig saml = config.saml();
    assertThat(saml.enabled()).isFalse();
    assertThat(saml.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(saml.requestLifetime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(saml.maxResponseBytes()).isEqualTo(256 * 1024);
    assertThat(saml.maxPendingSignIns()).isEqualTo(256);
    assertThat(config.samlBaseUrl()).isEqualTo(URI.create("http://localhost:9000"));
    assertThat(saml.spEntityId(config.samlBaseUrl())).isEqualTo("http://localhost:9000/saml/metadata");
  }

  @Test
  void theBaseUrlFallsBackToThePortalOrigin() throws IOException {
    AuthgateConfig config = load("portal:\n  url: https://auth.example.com/login\n", Map.of());
    assertThat(config.samlBaseUrl()).isEqualTo(URI.create("https://auth.example.com"));
    AuthgateConfig explicit = load("portal:\n  url: https://auth.example.com/login\n"
        + "saml:\n  baseUrl: https://sso.example.com/gw/\n  entityId: urn:authgate\n", Map.of());
    assertThat(explicit.samlBaseUrl()).isEqualTo(URI.create("https://sso.example.com/gw"));
    assertThat(explicit.saml().spEntityId(explicit.samlBaseUrl())).isEqualTo("urn:authgate");
  }

  @Test
  void idpsAreReadWithPresetsAndOverrides() throws IOException {
    Path metadata = Files.writeString(dir.resolve("okta.xml"), "<EntityDescriptor/>");
    AuthgateConfig config = load("""
        saml:
          clockSkew: 30s
          idps:
            - id: okta
              displayName: Okta
              metadataFile: %s
              attributes: {preset: okta, groups: memberOf}
              jit: true
              defaultRoles: [user]
            - id: entra
              metadataUrl: https://login.microsoftonline.com/t/federationmetadata.xml
              metadataRefresh: 15m
              attributes: {preset: entra}
              allowIdpInitiated: yes
              signAuthnRequests: false
        """.formatted(metadata), Map.of());
    SamlConfig saml = config.saml();
    assertThat(saml.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    IdpConfig okta = saml.idp("okta").orElseThrow();
    assertThat(okta.displayName()).isEqualTo("Okta");
    assertThat(okta.metadataFile()).contains(metadata);
    assertThat(okta.jit()).isTrue();
    assertThat(okta.defaultRoles()).containsExactly("user");
    assertThat(okta.allowIdpInitiated()).isFalse();
    assertThat(okta.signAuthnRequests()).isTrue();
    assertThat(okta.attributes().emailAttribute()).contains("email");
    assertThat(okta.attributes().groupsAttribute()).contains("memberOf");
    assertThat(okta.attributes().usernameAttribute()).isEmpty();
    IdpConfig entra = saml.idp("entra").orElseThrow();
    assertThat(entra.displayName()).isEqualTo("entra");
    assertThat(entra.metadataRefresh()).isEqualTo(Duration.ofMinutes(15));
    assertThat(entra.allowIdpInitiated()).isTrue();
    assertThat(entra.signAuthnRequests()).isFalse();
    assertThat(entra.attributes().emailAttribute()).contains(XMLSOAP + "emailaddress");
    assertThat(entra.attributes().firstNameAttribute()).contains(XMLSOAP + "givenname");
    assertThat(entra.attributes().displayNameAttribute())
        .contains("http://schemas.microsoft.com/identity/claims/displayname");
    assertThat(entra.attributes().groupsAttribute())
        .contains("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups");
  }

  @Test
  void anIdpCanComeFromTheEnvironmentAlone() throws IOException {
    AuthgateConfig config = load("{}", Map.of(
        "AUTHGATE_SAML_IDPS_0_ID", "google",
        "AUTHGATE_SAML_IDPS_0_METADATA_XML", "<md:EntityDescriptor/>",
        "AUTHGATE_SAML_IDPS_0_ATTRIBUTES_PRESET", "google",
        "AUTHGATE_SAML_CLOCK_SKEW", "2m",
        "AUTHGATE_SAML_BASE_URL", "https://gw.example.com"));
    IdpConfig google = config.saml().idps().get(0);
    assertThat(google.id()).isEqualTo("google");
    assertThat(google.metadataXml()).contains("<md:EntityDescriptor/>");
    assertThat(google.attributes().preset()).isEqualTo("google");
    assertThat(google.attributes().emailAttribute()).isEmpty();
    assertThat(config.saml().clockSkew()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.samlBaseUrl()).isEqualTo(URI.create("https://gw.example.com"));
  }

  @Test
  void mistakesNameTheirKey() {
    assertProblem("saml:\n  clockSkew: 10m\n", "saml.clockSkew: must be at most 5m");
    assertProblem("saml:\n  idps:\n    - id: Okta!\n      metadataXml: x\n", "saml.idps[0].id: must be 1 to 32");
    assertProblem("saml:\n  idps:\n    - id: a\n", "saml.idps[0].metadataFile: set exactly one");
    assertProblem("saml:\n  idps:\n    - id: a\n      metadataXml: x\n      metadataUrl: https://i/m\n",
        "set exactly one of metadataFile, metadataXml, metadataUrl (2 set)");
    assertProblem("saml:\n  idps:\n    - {id: a, metadataXml: x}\n    - {id: a, metadataXml: y}\n",
        "saml.idps[1].id: \"a\" is used twice");
    assertProblem("saml:\n  idps:\n    - {id: a, metadataXml: x, attributes: {preset: ping}}\n",
        "saml.idps[0].attributes.preset: must be one of okta, entra, google, custom");
    assertProblem("saml:\n  idps:\n    - {id: a, metadataXml: x, jti: true}\n", "saml.idps[0].jti: unknown key");
    assertProblem("saml:\n  signingKey: /nonexistent/key.pem\n", "saml.signingKey: cannot read");
    assertProblem("saml:\n  maxResponseBytes: 10\n", "saml.maxResponseBytes: must be between");
    assertProblem("saml:\n  maxPendingSignIns: 0\n", "saml.maxPendingSignIns: must be between");
    assertProblem("saml:\n  maxPendingValidations: 64\n", "saml.maxPendingValidations: renamed to saml.maxPendingSignIns");
    assertProblem("saml:\n  idps:\n    - {id: a, metadataUrl: ftp://x/m}\n", "saml.idps[0].metadataUrl: must be an absolute");
  }

  @Test
  void aKeyNeedsItsCertificate() throws IOException {
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    assertProblem("saml:\n  signingKey: " + key + "\n", "signingKey and signingCertificate must be set together");
    assertProblem("saml:\n  encryptionCertificate: " + key + "\n", "encryptionKey and encryptionCertificate");
  }

  private void assertProblem(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void theEmptyMappingTakesEverythingFromTheNameId() {
    AttributeMapping none = AttributeMapping.none();
    assertThat(List.of(none.usernameAttribute(), none.emailAttribute(), none.groupsAttribute()))
        .allMatch(Optional::isEmpty);
  }
}
