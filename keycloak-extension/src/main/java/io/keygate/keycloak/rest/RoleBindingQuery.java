package io.keygate.keycloak.rest;

import io.keygate.core.ApiException;
import io.keygate.keycloak.binding.BindingFilter;
import io.keygate.keycloak.binding.BindingHistory;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query of a role-bindings list as NeMo Platform's SDK and CLI send it: {@code page} (default
 * 1), {@code page_size} (1-1000, default 10), {@code sort} (a {@link BindingHistory#SORTS} key,
 * {@code -} for descending, default {@code created_at}) and deep-object {@code filter[...]}
 * fields: {@code principal}, {@code workspace}, {@code role}, {@code granted_by} (a value, or
 * {@code [$eq]}, {@code [$in]}, {@code [$nin]} with comma-separated or repeated values,
 * {@code [$like]}), {@code is_active} ({@code true|false}), {@code granted_at} and
 * {@code revoked_at} ({@code [gte]} / {@code [lte]}, ISO-8601). Anything else named
 * {@code filter[...]}, or a bad value, is refused with 422; no guessing.
 *
 * @param filterEcho the filter as understood, for the response's {@code filter} field (null when none)
 */
record RoleBindingQuery(int page, int pageSize, String sort, BindingFilter filter, Map<String, Object> filterEcho) {

    static final int DEFAULT_PAGE_SIZE = 10;
    static final String DEFAULT_SORT = "created_at";

    private static final Pattern FILTER_KEY = Pattern.compile("filter\\[([A-Za-z_]+)](?:\\[([$A-Za-z_]+)])?");
    private static final List<String> TEXT_FIELDS = List.of("principal", "workspace", "role", "granted_by");
    private static final List<String> TIME_FIELDS = List.of("granted_at", "revoked_at");

    static RoleBindingQuery parse(Map<String, List<String>> query) {
        int page = integer(query, "page", 1);
        if (page < 1) {
            throw ApiException.unprocessable("page must be 1 or greater, got " + page);
        }
        int pageSize = integer(query, "page_size", DEFAULT_PAGE_SIZE);
        if (pageSize < 1 || pageSize > PageRequest.MAX_PAGE_SIZE) {
            throw ApiException.unprocessable("page_size must be between 1 and " + PageRequest.MAX_PAGE_SIZE + ", got " + pageSize);
        }
        String sort = single(query, "sort");
        sort = sort == null || sort.isEmpty() ? DEFAULT_SORT : sort;
        if (!BindingHistory.SORTS.containsKey(sort.startsWith("-") ? sort.substring(1) : sort)) {
            throw ApiException.unprocessable("sort must be one of " + String.join(", ", BindingHistory.SORTS.keySet())
                    + " (prefix - for descending); got '" + sort + "'");
        }
        Filters filters = new Filters();
        query.forEach((key, values) -> {
            if (key.startsWith("filter")) {
                filters.add(key, values);
            }
        });
        return new RoleBindingQuery(page, pageSize, sort, filters.build(), filters.echo.isEmpty() ? null : filters.echo);
    }

    /** The {@link BindingHistory#SORTS} key to order by. */
    String sortKey() {
        return sort.startsWith("-") ? sort.substring(1) : sort;
    }

    boolean descending() {
        return sort.startsWith("-");
    }

    int offset() {
        return (int) Math.min((long) (page - 1) * pageSize, Integer.MAX_VALUE);
    }

    /** Collects the {@code filter[...]} parameters into one {@link BindingFilter}. */
    private static final class Filters {
        private final Map<String, BindingFilter.Text> texts = new LinkedHashMap<>();
        private final Map<String, BindingFilter.Range> ranges = new LinkedHashMap<>();
        private Boolean active;
        private final Map<String, Object> echo = new LinkedHashMap<>();

        void add(String key, List<String> values) {
            Matcher matcher = FILTER_KEY.matcher(key);
            if (!matcher.matches()) {
                throw ApiException.unprocessable("Unknown filter parameter '" + shown(key) + "'; use filter[<field>] or filter[<field>][<operator>]");
            }
            String field = matcher.group(1);
            String operator = matcher.group(2);
            String value = last(key, values);
            if (TEXT_FIELDS.contains(field)) {
                text(field, operator, values, value);
            } else if (field.equals("is_active") && operator == null) {
                active = bool(key, value);
                echo.put(field, active);
            } else if (TIME_FIELDS.contains(field) && ("gte".equals(operator) || "lte".equals(operator))) {
                long millis = time(key, value);
                BindingFilter.Range known = ranges.getOrDefault(field, new BindingFilter.Range(null, null));
                ranges.put(field, operator.equals("gte") ? new BindingFilter.Range(millis, known.to()) : new BindingFilter.Range(known.from(), millis));
                nested(field).put(operator, Instant.ofEpochMilli(millis).toString());
            } else {
                throw ApiException.unprocessable("Unknown filter '" + shown(key) + "'; fields are principal, workspace, role, granted_by"
                        + " (a value or $eq, $in, $nin, $like), is_active (true or false), granted_at and revoked_at (gte, lte)");
            }
        }

        private void text(String field, String operator, List<String> values, String value) {
            BindingFilter.Text known = texts.getOrDefault(field, new BindingFilter.Text(null, null, null));
            if (operator == null || operator.equals("$eq")) {
                texts.put(field, new BindingFilter.Text(List.of(value), known.noneOf(), known.like()));
                if (operator == null) {
                    echo.put(field, value);
                } else {
                    nested(field).put(operator, value);
                }
            } else if (operator.equals("$in") || operator.equals("$nin")) {
                List<String> list = list(values);
                if (list.isEmpty()) {
                    throw ApiException.unprocessable("filter[" + field + "][" + operator + "] needs at least one value");
                }
                texts.put(field, operator.equals("$in") ? new BindingFilter.Text(list, known.noneOf(), known.like())
                        : new BindingFilter.Text(known.anyOf(), list, known.like()));
                nested(field).put(operator, list);
            } else if (operator.equals("$like")) {
                texts.put(field, new BindingFilter.Text(known.anyOf(), known.noneOf(), value));
                nested(field).put(operator, value);
            } else {
                throw ApiException.unprocessable("Unknown operator '" + shown(operator) + "' for filter field '" + field
                        + "'; use $eq, $in, $nin or $like");
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> nested(String field) {
            Object known = echo.get(field);
            if (known instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            Map<String, Object> fresh = new LinkedHashMap<>();
            if (known != null) {
                fresh.put("$eq", known);
            }
            echo.put(field, fresh);
            return fresh;
        }

        BindingFilter build() {
            return new BindingFilter(texts.get("principal"), texts.get("workspace"), texts.get("role"), texts.get("granted_by"),
                    active, ranges.get("granted_at"), ranges.get("revoked_at"));
        }
    }

    private static List<String> list(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static String last(String key, List<String> values) {
        if (values == null || values.isEmpty()) {
            throw ApiException.unprocessable(shown(key) + " needs a value");
        }
        return values.get(values.size() - 1);
    }

    private static boolean bool(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.unprocessable(shown(key) + " must be true or false, got '" + shown(value) + "'");
        };
    }

    /** ISO-8601 with an offset ({@code Z} or {@code +00:00}), or without one meaning UTC, as Python's isoformat writes it. */
    private static long time(String key, String value) {
        String text = value.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw ApiException.unprocessable(shown(key) + " must be an ISO-8601 date-time, got '" + shown(value) + "'");
            }
        }
    }

    private static int integer(Map<String, List<String>> query, String name, int fallback) {
        String value = single(query, name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.unprocessable(name + " must be an integer, got '" + shown(value) + "'");
        }
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static String shown(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }
}
