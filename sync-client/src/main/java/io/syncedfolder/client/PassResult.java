package io.syncedfolder.client;

import java.util.List;

/**
 * The outcome of one full reconcile pass.
 *
 * @param inSync   true if the folder matched the server when the pass ended
 * @param problems readable lines saying what kept it from being in sync
 */
public record PassResult(boolean inSync, int changes, List<String> problems) {
    public PassResult {
        problems = List.copyOf(problems);
    }
}
