/** Directory sync: LDAP entries to store accounts, groups and memberships, with a report of every change. */
package io.authgate.sync.directory;
