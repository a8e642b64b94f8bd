package io.syncedfolder.common;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Whether a digest runs on one thread or hands the whole-file SHA-256 to a second one. */
@State(Scope.Benchmark)
public class Threads {
    @Param({"single", "pipeline"})
    public String mode;

    long pipelineThreshold() {
        return mode.equals("single") ? Long.MAX_VALUE : FileDigester.PIPELINE_THRESHOLD;
    }
}
