package io.authgate.sync.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.authgate.core.config.DirectoryConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * Active Directory: objectGUID (binary, its first three fields little-endian), uSNChanged, and the
 * ACCOUNTDISABLE bit of userAccountControl.
 */
final class ActiveDirectoryMapping implements EntryMapping {
  private static final String OBJECT_GUID = "objectGUID";
  private static final String USN_CHANGED = "uSNChanged";
  private static final String ACCOUNT_CONTROL = "userAccountControl";
  private static final int ACCOUNTDISABLE = 0x2;
  private final DirectoryConfig.Attributes attributes;

  ActiveDirectoryMapping(DirectoryConfig.Attributes attributes) {
    this.attributes = attributes;
  }

  @Override
  public String[] userAttributes() {
    return new String[] {attributes.username(), attributes.email(), attributes.displayName(), "cn", "givenName", "sn",
        "department", "employeeType", "manager", OBJECT_GUID, USN_CHANGED, ACCOUNT_CONTROL};
  }

  @Override
  public DirectoryEntry user(SearchResultEntry e) {
    String display = e.getAttributeValue(attributes.displayName());
    Integer control = e.getAttributeValueAsInteger(ACCOUNT_CONTROL);
    return new DirectoryEntry(e.getDN(), id(e), e.getAttributeValue(attributes.username()),
        e.getAttributeValue(attributes.email()), e.getAttributeValue("givenName"), e.getAttributeValue("sn"),
        display != null ? display : e.getAttributeValue("cn"), e.getAttributeValue("department"),
        e.getAttributeValue("employeeType"), e.getAttributeValue("manager"),
        control != null && (control & ACCOUNTDISABLE) != 0, e.getAttributeValue(USN_CHANGED));
  }

  @Override
  public String idAttribute() {
    return OBJECT_GUID;
  }

  @Override
  public String id(SearchResultEntry entry) {
    byte[] guid = entry.getAttributeValueBytes(OBJECT_GUID);
    return guid == null || guid.length != 16 ? null : objectGuid(guid).toString();
  }

  /** @return the GUID as Windows prints it: Data1, Data2, Data3 little-endian, Data4 as stored */
  static UUID objectGuid(byte[] guid) {
    ByteBuffer le = ByteBuffer.wrap(guid).order(ByteOrder.LITTLE_ENDIAN);
    long high = ((long) le.getInt(0) << 32) | ((le.getShort(4) & 0xffffL) << 16) | (le.getShort(6) & 0xffffL);
    long low = ByteBuffer.wrap(guid, 8, 8).order(ByteOrder.BIG_ENDIAN).getLong();
    return new UUID(high, low);
  }

  @Override
  public Filter changedSince(String watermark) {
    return Filter.createGreaterOrEqualFilter(USN_CHANGED, watermark);
  }

  @Override
  public String later(String a, String b) {
    return a == null ? b : b == null ? a : Long.parseLong(a) >= Long.parseLong(b) ? a : b;
  }
}
