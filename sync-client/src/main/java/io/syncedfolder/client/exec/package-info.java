/** Carries out a plan: the only code that changes the user's folder. */
package io.syncedfolder.client.exec;
