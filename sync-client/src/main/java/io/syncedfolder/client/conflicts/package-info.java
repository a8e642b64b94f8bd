/** Lists the conflict copies in a folder, read-only and without a server ({@code sync-client conflicts}). */
package io.syncedfolder.client.conflicts;
