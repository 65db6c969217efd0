/** The admin-api role: the admin REST API on its own port. */
package io.authgate.admin;
