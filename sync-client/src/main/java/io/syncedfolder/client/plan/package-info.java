/** Decides, as a pure function of local, base and remote, what must happen to each path. */
package io.syncedfolder.client.plan;
