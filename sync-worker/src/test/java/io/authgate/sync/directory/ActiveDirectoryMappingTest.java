package io.authgate.sync.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.authgate.core.config.DirectoryConfig;
import org.junit.jupiter.api.Test;

class ActiveDirectoryMappingTest {
  private final ActiveDirectoryMapping mapping = new ActiveDirectoryMapping(
      new DirectoryConfig.Attributes("sAMAccountName", "mail", "displayName"));

  @Test
  void objectGuidReadsAsWindowsPrintsIt() {
    // {12345678-9abc-def0-1122-334455667788} as AD stores it: the first three fields little-endian.
    byte[] stored = {0x78, 0x56, 0x34, 0x12, (byte) 0xbc, (byte) 0x9a, (byte) 0xf0, (byte) 0xde,
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88};
    assertThat(ActiveDirectoryMapping.objectGuid(stored).toString()).isEqualTo("12345678-9abc-def0-1122-334455667788");
  }

  @Test
  void theDisableBitOfUserAccountControlDisablesTheAccount() {
    DirectoryEntry enabled = mapping.user(entry("512"));
    DirectoryEntry disabled = mapping.user(entry("514"));
    assertThat(enabled.disabled()).isFalse();
    assertThat(disabled.disabled()).isTrue();
    assertThat(enabled.username()).isEqualTo("jdoe");
    assertThat(enabled.changeStamp()).isEqualTo("9001");
  }

  @Test
  void usnWatermarksCompareAsNumbers() {
    assertThat(mapping.later("999", "1000")).isEqualTo("1000");
    assertThat(mapping.later(null, "5")).isEqualTo("5");
  }

  private static SearchResultEntry entry(String control) {
    return new SearchResultEntry("CN=John Doe,OU=Users,DC=corp,DC=example", new Attribute[] {
        new Attribute("sAMAccountName", "jdoe"), new Attribute("userAccountControl", control),
        new Attribute("uSNChanged", "9001"), new Attribute("cn", "John Doe")}, new com.unboundid.ldap.sdk.Control[0]);
  }
}
