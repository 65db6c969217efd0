/** The identity-provider endpoints of the admin API (create, read, update, delete, metadata import) and the SAML SP's keys. */
package io.authgate.admin.idps;
