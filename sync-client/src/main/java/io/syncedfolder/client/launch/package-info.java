/**
 * How the jar starts the client: a {@code --once} pass runs in a second JVM started with options suited to a short
 * pass (a small serial heap, C2 only for hashing, a class-data archive), since {@code java -jar} cannot carry JVM
 * options itself. Everything else runs in the JVM the user started.
 */
package io.syncedfolder.client.launch;
