package io.keygate.core.api;

/**
 * The {@code pagination} object of a list page (NeMo Platform's shape).
 *
 * @param page              1-based page number
 * @param page_size         items asked for per page
 * @param current_page_size items on this page
 * @param total_pages       pages in the whole list (0 for an empty list)
 * @param total_results     items in the whole list
 */
public record Pagination(int page, int page_size, int current_page_size, long total_pages, long total_results) {

    /** The pagination of {@code currentPageSize} items cut out of {@code totalResults} at {@code page}. */
    public static Pagination of(int page, int pageSize, int currentPageSize, long totalResults) {
        long totalPages = totalResults == 0 ? 0 : (totalResults + pageSize - 1) / pageSize;
        return new Pagination(page, pageSize, currentPageSize, totalPages, totalResults);
    }
}
