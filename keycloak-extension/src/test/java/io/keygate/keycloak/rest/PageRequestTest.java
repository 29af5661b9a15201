package io.keygate.keycloak.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keygate.core.ApiException;
import io.keygate.core.api.PageBody;
import io.keygate.core.api.Pagination;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void defaultsApplyWhenParametersAreAbsent() {
        PageRequest page = PageRequest.parse(null, null, null, PageRequest.DEFAULT_SORT);
        assertEquals(new PageRequest(1, 100, "-created_at"), page);
    }

    @Test
    void badValuesAre422() {
        for (String[] bad : new String[][] {{"0", null, null}, {"x", null, null}, {null, "0", null}, {null, "1001", null},
                {null, "ten", null}, {null, null, "name"}, {"-1", null, null}}) {
            ApiException error = assertThrows(ApiException.class, () -> PageRequest.parse(bad[0], bad[1], bad[2], "-created_at"));
            assertEquals(422, error.status(), String.join(",", String.valueOf(bad[0]), String.valueOf(bad[1]), String.valueOf(bad[2])));
        }
    }

    @Test
    void cutsPagesAndCountsThem() {
        PageRequest second = PageRequest.parse("2", "2", "created_at", "-created_at");
        PageBody<Object> body = second.page(List.of(5, 1, 4, 2, 3), Comparator.<Integer>naturalOrder(), n -> n);

        assertEquals(List.of(3, 4), body.data());
        assertEquals(new Pagination(2, 2, 2, 3, 5), body.pagination());
        assertEquals("created_at", body.sort());
    }

    @Test
    void thePageIsWrittenInNemoPlatformsShape() throws Exception {
        PageBody<Object> body = PageRequest.parse("2", "2", "created_at", "-created_at")
                .page(List.of(5, 1, 4, 2, 3), Comparator.<Integer>naturalOrder(), n -> n);

        assertEquals("{\"data\":[3,4],\"pagination\":{\"page\":2,\"page_size\":2,\"current_page_size\":2,\"total_pages\":3,"
                + "\"total_results\":5},\"sort\":\"created_at\"}", new ObjectMapper().writeValueAsString(body));
    }

    @Test
    void descendingSortReversesAndPagesPastTheEndAreEmpty() {
        PageBody<Object> newest = PageRequest.parse("1", "2", "-updated_at", "-created_at")
                .page(List.of(1, 3, 2), Comparator.<Integer>naturalOrder(), n -> n);
        PageBody<Object> beyond = PageRequest.parse("9", "2", null, "-created_at")
                .page(List.of(1, 3, 2), Comparator.<Integer>naturalOrder(), n -> n);

        assertEquals(List.of(3, 2), newest.data());
        assertEquals(List.of(), beyond.data());
        assertEquals(0, beyond.pagination().current_page_size());
    }
}
