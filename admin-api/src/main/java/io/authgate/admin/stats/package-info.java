/** The admin API's statistics: the overview of accounts and directories. */
package io.authgate.admin.stats;
