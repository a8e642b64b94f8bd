/** Decides who may use the API from the request's bearer token. */
package io.syncedfolder.server.auth;
