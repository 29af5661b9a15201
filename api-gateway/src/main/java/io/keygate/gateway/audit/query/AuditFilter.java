package io.keygate.gateway.audit.query;

import io.javalin.http.Context;
import io.keygate.core.ApiException;
import io.keygate.core.ResourceNames;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * The filters of an audit query, each optional and all combined with AND: {@code principal}
 * (exact), {@code workspace} (exact), {@code method}, {@code status}, {@code since} (inclusive) and
 * {@code until} (exclusive) as ISO-8601 instants, {@code failed_only} ({@code true}: status 400 or
 * higher). A malformed value answers 422 {@code {"detail"}} before the store is asked.
 */
public record AuditFilter(String principal, String workspace, String method, Integer status, Instant since, Instant until,
                          boolean failedOnly) {

    /** The query parameters understood by {@link #from}; any other one answers 422. */
    public static final Set<String> PARAMETERS = Set.of("principal", "workspace", "method", "status", "since", "until",
            "failed_only", "page", "page_size", "sort");

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final int MAX_PRINCIPAL_CHARS = 320;

    public AuditFilter {
        if (since != null && until != null && !since.isBefore(until)) {
            throw ApiException.unprocessable("'since' must be before 'until'");
        }
    }

    /** The filters of {@code ctx}'s query string; {@code workspace} overrides the query's one when not null. */
    public static AuditFilter from(Context ctx, String workspace) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!PARAMETERS.contains(name) || (workspace != null && name.equals("workspace"))) {
                throw ApiException.unprocessable("unknown query parameter '" + clip(name) + "'; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(PARAMETERS)));
            }
        }
        return new AuditFilter(principal(ctx.queryParam("principal")),
                workspace != null ? workspace : workspaceParam(ctx.queryParam("workspace")),
                method(ctx.queryParam("method")), status(ctx.queryParam("status")),
                instant(ctx, "since"), instant(ctx, "until"), failedOnly(ctx.queryParam("failed_only")));
    }

    private static String principal(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_PRINCIPAL_CHARS) {
            throw ApiException.unprocessable("'principal' must be at most " + MAX_PRINCIPAL_CHARS + " characters");
        }
        return value;
    }

    private static String workspaceParam(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        ResourceNames.violation(value).ifPresent(problem -> {
            throw ApiException.unprocessable("'workspace': " + problem);
        });
        return value;
    }

    private static String method(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw ApiException.unprocessable("'method' must be one of " + String.join(", ", new java.util.TreeSet<>(METHODS)));
        }
        return upper;
    }

    private static Integer status(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            int status = Integer.parseInt(value);
            if (status >= 100 && status <= 599) {
                return status;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.unprocessable("'status' must be an HTTP status code (100-599)");
    }

    private static Instant instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.unprocessable("'" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static boolean failedOnly(String value) {
        if (value == null || value.isEmpty() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.unprocessable("'failed_only' must be true or false");
    }

    private static String clip(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
