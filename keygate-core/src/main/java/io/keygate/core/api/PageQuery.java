package io.keygate.core.api;

import java.util.List;

/**
 * The query of every list, NeMo Platform's: {@code page} (1-based, default 1), {@code page_size}
 * (1 to {@value #MAX_PAGE_SIZE}, default {@value #DEFAULT_PAGE_SIZE}) and {@code sort} (one of
 * {@link #SORTS}, default {@value #DEFAULT_SORT}). The gateway checks it before it forwards a list
 * to the extension, and the extension checks it again; both answer a bad value with 422.
 */
public final class PageQuery {

    public static final String PAGE = "page";
    public static final String PAGE_SIZE = "page_size";
    public static final String SORT = "sort";

    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    public static final String DEFAULT_SORT = "-created_at";
    public static final List<String> SORTS = List.of("created_at", "-created_at", "updated_at", "-updated_at");

    private PageQuery() {
    }
}
