package io.keygate.core.api;

/** Every error either side answers: {@code {"detail": "..."}}, a message for people, never a stack trace. */
public record ErrorBody(String detail) {

    /** The JSON field every error carries. */
    public static final String DETAIL = "detail";
}
