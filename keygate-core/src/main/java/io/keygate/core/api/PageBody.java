package io.keygate.core.api;

import java.util.List;

/**
 * One page of a list: {@code {data: [...], pagination: {...}, sort}}.
 *
 * @param <T> the item shape (a record of this package, or whatever JSON the item is)
 */
public record PageBody<T>(List<T> data, Pagination pagination, String sort) {

    public PageBody {
        data = List.copyOf(data);
    }

    /** Page {@code page} of {@code pageSize}, holding {@code data}, out of {@code totalResults} items sorted by {@code sort}. */
    public static <T> PageBody<T> of(List<T> data, int page, int pageSize, long totalResults, String sort) {
        return new PageBody<>(data, Pagination.of(page, pageSize, data.size(), totalResults), sort);
    }

    /** The same page with the filter it was cut with echoed back (NeMo Platform's role-binding list). */
    public FilteredPageBody<T> withFilter(Object filter) {
        return new FilteredPageBody<>(data, pagination, sort, filter);
    }

    /** A page plus {@code filter}: the filter the server applied, as it understood it. */
    public record FilteredPageBody<T>(List<T> data, Pagination pagination, String sort, Object filter) {
    }
}
