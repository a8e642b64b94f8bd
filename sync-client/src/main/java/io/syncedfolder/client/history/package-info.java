/** The server's memory of a folder, for people: earlier versions of a file and the deleted files it can bring back. */
package io.syncedfolder.client.history;
