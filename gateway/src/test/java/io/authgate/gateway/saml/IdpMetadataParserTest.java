package io.authgate.gateway.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdpMetadataParserTest {
  private final IdpFixture idp = IdpFixture.main();

  @Test
  void entityIdKeysAndRedirectEndpointsAreRead() {
    IdpMetadata m = IdpMetadataParser.parse(idp.metadataXml());
    assertThat(m.entityId()).isEqualTo(idp.entityId);
    assertThat(m.signingCertificates()).containsExactly(idp.key.getEntityCertificate());
    assertThat(m.ssoRedirectUrl()).contains("https://idp.example.test/sso");
    assertThat(m.sloRedirectUrl()).contains("https://idp.example.test/slo");
  }

  @Test
  void encryptionOnlyKeysAreNotSigningKeysAndAKeylessIdpIsRefused() {
    String encryptionOnly = idp.metadataXml().replace("use=\"signing\"", "use=\"encryption\"");
    assertThatThrownBy(() -> IdpMetadataParser.parse(encryptionOnly)).hasMessageContaining("names no signing certificate");
    String noUse = idp.metadataXml().replace(" use=\"signing\"", "");
    assertThat(IdpMetadataParser.parse(noUse).signingCertificates()).hasSize(1);
  }

  @Test
  void anUnreadableSigningCertificateIsRefused() {
    String broken = idp.metadataXml().replaceAll("<ds:X509Certificate>[^<]+<", "<ds:X509Certificate>AAAA<");
    assertThatThrownBy(() -> IdpMetadataParser.parse(broken)).hasMessageContaining("cannot be read");
  }

  @Test
  void notMetadataOrADoctypeIsRefused() {
    assertThatThrownBy(() -> IdpMetadataParser.parse("<html/>")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IdpMetadataParser.parse("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        + idp.metadataXml())).hasMessageContaining("DOCTYPE");
    String spOnly = idp.metadataXml().replace("IDPSSODescriptor", "SPSSODescriptor");
    assertThatThrownBy(() -> IdpMetadataParser.parse(spOnly)).hasMessageContaining("no SAML 2.0 IDPSSODescriptor");
  }
}
