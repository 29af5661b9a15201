package io.keygate.keycloak.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.core.ApiException;
import io.keygate.keycloak.binding.BindingFilter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleBindingQueryTest {

    @Test
    void defaultsAreNemoPlatforms() {
        RoleBindingQuery query = RoleBindingQuery.parse(Map.of());
        assertEquals(1, query.page());
        assertEquals(10, query.pageSize());
        assertEquals("created_at", query.sort());
        assertEquals(BindingFilter.NONE, query.filter());
        assertNull(query.filterEcho());
    }

    @Test
    void deepObjectFiltersAsTheSdkSendsThem() {
        RoleBindingQuery query = RoleBindingQuery.parse(Map.of(
                "filter[principal]", List.of("alice@example.com"),
                "filter[role][$in]", List.of("Editor,Admin"),
                "filter[granted_by][$nin]", List.of("a", "b"),
                "filter[workspace][$like]", List.of("ml-%"),
                "filter[is_active]", List.of("false"),
                "filter[granted_at][gte]", List.of("2026-12-01T10:00:00+00:00"),
                "filter[revoked_at][lte]", List.of("2026-12-01T11:00:00"),
                "page", List.of("3"), "page_size", List.of("50"), "sort", List.of("-updated_at")));
        BindingFilter filter = query.filter();
        assertEquals(List.of("alice@example.com"), filter.principal().anyOf());
        assertEquals(List.of("Editor", "Admin"), filter.role().anyOf());
        assertEquals(List.of("a", "b"), filter.grantedBy().noneOf());
        assertEquals("ml-%", filter.workspace().like());
        assertEquals(Boolean.FALSE, filter.active());
        assertEquals(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli(), filter.grantedAt().from());
        assertNull(filter.grantedAt().to());
        assertEquals(Instant.parse("2026-12-01T11:00:00Z").toEpochMilli(), filter.revokedAt().to());
        assertEquals("updated_at", query.sortKey());
        assertTrue(query.descending());
        assertEquals(100, query.offset());
        assertEquals("alice@example.com", query.filterEcho().get("principal"));
        assertEquals(Map.of("$in", List.of("Editor", "Admin")), query.filterEcho().get("role"));
    }

    @Test
    void badValuesAre422() {
        for (Map<String, List<String>> bad : List.<Map<String, List<String>>>of(
                Map.of("page_size", List.of("0")), Map.of("page_size", List.of("1001")), Map.of("page", List.of("x")),
                Map.of("sort", List.of("secret")), Map.of("filter[colour]", List.of("blue")),
                Map.of("filter[role][$regex]", List.of(".*")), Map.of("filter[is_active]", List.of("maybe")),
                Map.of("filter[granted_at][gte]", List.of("yesterday")), Map.of("filter[granted_at]", List.of("2026-01-01")),
                Map.of("filter[role][$in]", List.of(",")), Map.of("filter", List.of("{}")))) {
            assertEquals(422, assertThrows(ApiException.class, () -> RoleBindingQuery.parse(bad), bad.toString()).status(), bad.toString());
        }
    }
}
