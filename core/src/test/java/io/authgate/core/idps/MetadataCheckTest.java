package io.authgate.core.idps;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What the metadata check accepts and how it says what is wrong. */
class MetadataCheckTest {
  // A self-signed certificate (CN=md-test), DER in base64, as metadata carries it.
  private static final String CERT = """
      MIIBnzCCAUWgAwIBAgIUBfL3f1c2T4Bv1pTn0dQnL0H8DZMwCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHbWQtdGVzdDAe
      """;

  @Test
  void anEntitiesDescriptorMustHoldExactlyOneIdp() {
    String two = """
        <md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">
          <md:EntityDescriptor entityID="a"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>
          <md:EntityDescriptor entityID="b"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>
        </md:EntitiesDescriptor>""";
    assertThatThrownBy(() -> MetadataCheck.check(two)).isInstanceOf(MetadataException.class)
        .hasMessageContaining("holds 2 IdPs");
  }

  @Test
  void aSaml1OnlyIdpOrAMissingEntityIdOrAnUnreadableCertificateIsRefused() {
    assertThatThrownBy(() -> MetadataCheck.check("""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol"/>
        </md:EntityDescriptor>""")).hasMessageContaining("no SAML 2.0 IDPSSODescriptor");
    assertThatThrownBy(() -> MetadataCheck.check("""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>
        </md:EntityDescriptor>""")).hasMessageContaining("no entityID");
    assertThatThrownBy(() -> MetadataCheck.check("""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="x">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>""".formatted(CERT))).hasMessageContaining("cannot be read");
    assertThatThrownBy(() -> MetadataCheck.check("<x xmlns='urn:other'/>")).hasMessageContaining("root must be");
  }

  @Test
  void anEncryptionOnlyKeyIsNotASigningCertificate() {
    assertThatThrownBy(() -> MetadataCheck.check("""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="x">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>""".formatted(CERT))).hasMessageContaining("no signing certificate");
  }
}
