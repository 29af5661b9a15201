package io.keygate.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.core.api.PageBody;
import java.util.List;

/**
 * One page of a list, in NeMo Platform's shape:
 * {@code {data: [...], pagination: {page, page_size, current_page_size, total_pages, total_results}, sort}}.
 */
public record Page<T>(List<T> data, PageRequest request, long totalResults) {

    public Page {
        data = List.copyOf(data);
    }

    public long totalPages() {
        return totalResults == 0 ? 0 : (totalResults + request.pageSize() - 1) / request.pageSize();
    }

    /** The wire form ({@link PageBody}), each item turned into JSON by {@code toJson}. */
    public ObjectNode toJson(ObjectMapper mapper, java.util.function.Function<T, JsonNode> toJson) {
        List<JsonNode> items = data.stream().map(toJson).toList();
        return mapper.valueToTree(PageBody.of(items, request.page(), request.pageSize(), totalResults, request.sort()));
    }
}
