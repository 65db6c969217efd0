/** The admin API's sessions endpoints: ending every gateway session of an account. */
package io.authgate.admin.sessions;
