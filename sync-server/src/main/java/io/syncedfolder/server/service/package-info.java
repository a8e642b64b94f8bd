/**
 * What the server does for a request, independent of HTTP: validating and applying commits between the
 * index and the blob store, storing and sending packs of chunks, and parking long polls until the index changes.
 */
package io.syncedfolder.server.service;
