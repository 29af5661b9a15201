package io.keygate.gateway.resources;

import java.time.OffsetDateTime;

/** One line of a job's log. */
public record JobLogEntry(int seq, OffsetDateTime timestamp, String message) {
}
