/** The admin API's users endpoints: list with filters and cursor pages, get, create, patch. */
package io.authgate.admin.users;
