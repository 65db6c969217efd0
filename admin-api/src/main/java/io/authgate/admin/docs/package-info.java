/** The admin API's contract and Swagger UI page, served from the admin port. */
package io.authgate.admin.docs;
