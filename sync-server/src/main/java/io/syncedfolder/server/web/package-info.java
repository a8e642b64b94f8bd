/**
 * What the web page and scripts need beyond the sync protocol, independent of HTTP: folder listings, whole files
 * streamed from their chunks, and index totals for the status report. {@code HttpApi} serves them, and the page
 * itself from the classpath folder {@code web/}.
 */
package io.syncedfolder.server.web;
