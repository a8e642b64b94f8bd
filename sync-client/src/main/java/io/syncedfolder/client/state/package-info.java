/** What this client last synced (the base of every three-way decision) and its copy of the server index. */
package io.syncedfolder.client.state;
