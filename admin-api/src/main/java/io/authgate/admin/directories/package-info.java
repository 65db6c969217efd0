/** The directories endpoints: create, read, replace, delete, probe and health of LDAP directories. */
package io.authgate.admin.directories;
