/**
 * HTTPS for the server: the certificate and key it serves, read from PEM files, and self-signed pairs for quick
 * setups ({@code sync-server cert generate}). The only code that knows BouncyCastle.
 */
package io.syncedfolder.server.tls;
