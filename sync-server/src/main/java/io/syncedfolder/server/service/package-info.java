/**
 * What the server does for a request, independent of HTTP: validating and applying commits between the
 * index and the blob store.
 */
package io.syncedfolder.server.service;
