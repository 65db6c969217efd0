/** Who a user is: credentials presented and the principal a directory resolved. */
package io.authgate.core.identity;
