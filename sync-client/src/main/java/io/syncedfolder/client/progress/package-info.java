/** What a person watching the client sees of a pass's progress: a progress bar, a summary line. */
package io.syncedfolder.client.progress;
