/** Account lifecycle: the allowed status transitions, their side effects, offboarding, and the gateways' view of blocked accounts. */
package io.authgate.core.lifecycle;
