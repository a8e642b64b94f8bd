/**
 * What the server does for a request, independent of HTTP: validating and applying commits between the
 * index and the blob store, storing and sending packs of chunks, parking long polls until the index changes,
 * answering history, trash and restore requests, and collecting the blobs no kept version refers to.
 */
package io.syncedfolder.server.service;
