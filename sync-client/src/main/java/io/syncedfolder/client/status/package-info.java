/** Answers "is this folder in sync?" without changing anything, even while a client is running on it. */
package io.syncedfolder.client.status;
