/** The content-addressed blob store: chunks kept by their SHA-256, verified before they become visible. */
package io.syncedfolder.server.blob;
