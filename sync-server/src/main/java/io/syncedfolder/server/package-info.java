/**
 * The sync server: its command line ({@link io.syncedfolder.server.ServerMain}), its assembly
 * ({@link io.syncedfolder.server.SyncServer}) and its HTTP face (the only code that knows Javalin).
 */
package io.syncedfolder.server;
