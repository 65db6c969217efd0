/** The lifecycle endpoints: status transitions and offboarding of accounts. */
package io.authgate.admin.lifecycle;
