/** Talks to the server over HTTP: the only code that imports OkHttp. */
package io.syncedfolder.client.remote;
