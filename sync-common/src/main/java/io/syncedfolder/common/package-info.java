/** Wire records, path rules, hashing and crash-safe file helpers shared by the server and the client. */
package io.syncedfolder.common;
