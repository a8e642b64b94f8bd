/** Detects what is in the local folder: walks it, applies ignore rules, hashes only what changed. */
package io.syncedfolder.client.scan;
