package io.keygate.gateway.web;

import io.javalin.http.Context;
import io.keygate.core.ApiException;
import io.keygate.core.api.PageQuery;
import java.util.List;

/**
 * Page, page size and sort of a list request, NeMo Platform style: {@code page} is 1-based
 * (default 1), {@code page_size} 1-1000 (default 100), {@code sort} one of
 * {@code created_at, -created_at, updated_at, -updated_at} (default {@code -created_at}).
 * Bad values answer 422.
 */
public record PageRequest(int page, int pageSize, String sort) {

    public static final int DEFAULT_PAGE_SIZE = PageQuery.DEFAULT_PAGE_SIZE;
    public static final int MAX_PAGE_SIZE = PageQuery.MAX_PAGE_SIZE;
    public static final String DEFAULT_SORT = PageQuery.DEFAULT_SORT;
    public static final List<String> SORTS = PageQuery.SORTS;

    public PageRequest {
        if (page < 1) {
            throw ApiException.unprocessable("page must be 1 or greater");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw ApiException.unprocessable("page_size must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (!SORTS.contains(sort)) {
            throw ApiException.unprocessable("sort must be one of " + String.join(", ", SORTS));
        }
    }

    public static PageRequest from(Context ctx) {
        return new PageRequest(
                intParam(ctx, PageQuery.PAGE, 1),
                intParam(ctx, PageQuery.PAGE_SIZE, DEFAULT_PAGE_SIZE),
                ctx.queryParam(PageQuery.SORT) == null ? DEFAULT_SORT : ctx.queryParam(PageQuery.SORT));
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.unprocessable(name + " must be an integer");
        }
    }

    public int offset() {
        return (page - 1) * pageSize;
    }

    /** The column to order by: {@code created_at} or {@code updated_at}. */
    public String sortColumn() {
        return sort.startsWith("-") ? sort.substring(1) : sort;
    }

    public boolean descending() {
        return sort.startsWith("-");
    }
}
