package io.authgate.sync.directory;

/**
 * A user entry as sync reads it from the directory. Immutable; every field but {@code dn} may be
 * null when the entry lacks the attribute.
 *
 * @param dn its distinguished name
 * @param externalId entryUUID (OpenLDAP) or objectGUID (Active Directory) as a UUID string
 * @param username the login name attribute
 * @param email the mail attribute
 * @param firstName givenName
 * @param lastName sn
 * @param displayName the display name attribute, else cn
 * @param department the department attribute
 * @param employeeType employeeType
 * @param manager the manager's DN
 * @param disabled whether the directory has the account disabled or locked
 * @param changeStamp modifyTimestamp or uSNChanged, for the incremental watermark
 */
public record DirectoryEntry(String dn, String externalId, String username, String email, String firstName,
                             String lastName, String displayName, String department, String employeeType,
                             String manager, boolean disabled, String changeStamp) {
}
