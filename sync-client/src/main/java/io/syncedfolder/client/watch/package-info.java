/** Turns file-system events into hints of which paths to rescan; the scan, not the event, decides. */
package io.syncedfolder.client.watch;
