/** The command-line client: wires options to one sync loop (scan → fetch → plan → execute → save). */
package io.syncedfolder.client;
