package io.keygate.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** The wire form, each item turned into JSON by {@code toJson}. */
    public ObjectNode toJson(ObjectMapper mapper, java.util.function.Function<T, JsonNode> toJson) {
        ObjectNode page = mapper.createObjectNode();
        ArrayNode items = page.putArray("data");
        data.forEach(item -> items.add(toJson.apply(item)));
        ObjectNode pagination = page.putObject("pagination");
        pagination.put("page", request.page());
        pagination.put("page_size", request.pageSize());
        pagination.put("current_page_size", data.size());
        pagination.put("total_pages", totalPages());
        pagination.put("total_results", totalResults);
        page.put("sort", request.sort());
        return page;
    }
}
