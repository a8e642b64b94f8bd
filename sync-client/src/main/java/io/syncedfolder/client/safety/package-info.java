/** Checks that stop the client before it does something that looks like data loss rather than a user's wish. */
package io.syncedfolder.client.safety;
