package io.keygate.keycloak.rest;

import io.keygate.core.ApiException;
import io.keygate.core.api.PageBody;
import io.keygate.core.api.PageQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The list query {@code page} (1-based, default 1), {@code page_size} (1–1000, default 100) and
 * {@code sort} ({@code created_at|-created_at|updated_at|-updated_at}, default {@code -created_at}).
 * Bad values are refused with 422, never guessed.
 */
public record PageRequest(int page, int pageSize, String sort) {

    public static final int MAX_PAGE_SIZE = PageQuery.MAX_PAGE_SIZE;
    public static final int DEFAULT_PAGE_SIZE = PageQuery.DEFAULT_PAGE_SIZE;
    public static final String DEFAULT_SORT = PageQuery.DEFAULT_SORT;
    public static final Set<String> SORTS = Set.copyOf(PageQuery.SORTS);

    public static PageRequest parse(String page, String pageSize, String sort, String defaultSort) {
        int pageNumber = parseInt(PageQuery.PAGE, page, 1);
        if (pageNumber < 1) {
            throw ApiException.unprocessable("page must be 1 or greater, got " + pageNumber);
        }
        int size = parseInt(PageQuery.PAGE_SIZE, pageSize, DEFAULT_PAGE_SIZE);
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.unprocessable("page_size must be between 1 and " + MAX_PAGE_SIZE + ", got " + size);
        }
        String order = sort == null || sort.isEmpty() ? defaultSort : sort;
        if (sort != null && !sort.isEmpty() && !SORTS.contains(sort)) {
            throw ApiException.unprocessable("sort must be one of created_at, -created_at, updated_at, -updated_at; got '" + sort + "'");
        }
        return new PageRequest(pageNumber, size, order);
    }

    /** True when the order is by {@code updated_at} rather than {@code created_at}. */
    public boolean byUpdatedAt() {
        return sort.endsWith("updated_at");
    }

    /** True for descending order. */
    public boolean descending() {
        return sort.startsWith("-");
    }

    /** Orders {@code items} with a comparator for the ascending order and cuts out this page. */
    public <T> PageBody<Object> page(List<T> items, Comparator<T> ascending, Function<? super T, ?> toJson) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(descending() ? ascending.reversed() : ascending);
        return cut(sorted, toJson);
    }

    /** Cuts this page out of an already ordered list. */
    public <T> PageBody<Object> cut(List<T> ordered, Function<? super T, ?> toJson) {
        int total = ordered.size();
        int from = Math.min(offset(), total);
        int to = (int) Math.min((long) from + pageSize, total);
        return result(ordered.subList(from, to), total, toJson);
    }

    /** Index of this page's first item in the whole ordered list (for a database OFFSET). */
    public int offset() {
        return (int) Math.min((long) (page - 1) * pageSize, Integer.MAX_VALUE);
    }

    /** The page body for items already cut out (e.g. by the database) from a list of {@code total} items. */
    public <T> PageBody<Object> result(List<T> pageItems, int total, Function<? super T, ?> toJson) {
        List<Object> data = new ArrayList<>();
        for (T item : pageItems) {
            data.add(toJson.apply(item));
        }
        return PageBody.of(data, page, pageSize, total, sort);
    }

    private static int parseInt(String name, String value, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.unprocessable(name + " must be an integer, got '" + value + "'");
        }
    }
}
