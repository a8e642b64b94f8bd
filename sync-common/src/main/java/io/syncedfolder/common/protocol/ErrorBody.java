package io.syncedfolder.common.protocol;

/** The JSON body of every error answer: a short machine-readable reason and a sentence for people. */
public record ErrorBody(String error, String detail) {
}
