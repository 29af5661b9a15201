package io.keygate.keycloak.binding;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Every binding row of a realm, active and revoked, as NeMo Platform's role-bindings list shows
 * them: filtered, ordered and paged in the database (a count and one page per request, never the
 * whole table in memory). Rights are the caller's business (PlatformAdmin only).
 */
public final class BindingHistory {

    /** The orders a history page may have; the value is the JPQL order expression (ascending). */
    public static final Map<String, String> SORTS;

    static {
        Map<String, String> sorts = new LinkedHashMap<>();
        sorts.put("created_at", "b.grantedAt");
        sorts.put("granted_at", "b.grantedAt");
        sorts.put("updated_at", "coalesce(b.revokedAt, b.grantedAt)");
        sorts.put("revoked_at", "coalesce(b.revokedAt, 0)");
        sorts.put("principal", Bindings.HISTORY_NAME);
        sorts.put("workspace", "b.workspaceName");
        SORTS = java.util.Collections.unmodifiableMap(sorts);
    }

    private static final String FROM = " from BindingEntity b left join UserEntity u on u.id = b.principal and b.principalKind = 'USER'"
            + " where b.realmId = :realm";

    /** One history row: the binding and the principal's public name. */
    public record Row(BindingEntity binding, String principal) {
    }

    private final EntityManager em;
    private final RealmModel realm;

    public BindingHistory(KeycloakSession session, RealmModel realm) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        this.realm = realm;
    }

    /** Number of rows the filter keeps. */
    public long count(BindingFilter filter) {
        Where where = where(filter);
        TypedQuery<Long> query = em.createQuery("select count(b)" + FROM + where.jpql, Long.class);
        return where.bind(query).getSingleResult();
    }

    /** One page of the rows the filter keeps, in the order {@code sort} names (a {@link #SORTS} key), ties by id. */
    public List<Row> page(BindingFilter filter, String sort, boolean descending, int first, int max) {
        String direction = descending ? " desc" : " asc";
        Where where = where(filter);
        TypedQuery<Object[]> query = em.createQuery("select b, " + Bindings.HISTORY_NAME + FROM + where.jpql
                + " order by " + SORTS.get(sort) + direction + ", b.id" + direction, Object[].class);
        return where.bind(query).setFirstResult(first).setMaxResults(max).getResultList().stream()
                .map(row -> new Row((BindingEntity) row[0], (String) row[1])).toList();
    }

    /** The row {@code id} of this realm, with its principal's public name. */
    public Optional<Row> find(String id) {
        return em.createQuery("select b, " + Bindings.HISTORY_NAME + FROM + " and b.id = :id", Object[].class)
                .setParameter("realm", realm.getId()).setParameter("id", id)
                .getResultList().stream().findFirst()
                .map(row -> new Row((BindingEntity) row[0], (String) row[1]));
    }

    private Where where(BindingFilter filter) {
        Where where = new Where();
        where.parameters.put("realm", realm.getId());
        where.text(Bindings.HISTORY_NAME, filter.principal());
        where.text("b.workspaceName", filter.workspace());
        where.text("b.role", filter.role());
        where.text("b.grantedBy", filter.grantedBy());
        if (filter.active() != null) {
            where.jpql.append(filter.active() ? " and b.revokedAt is null" : " and b.revokedAt is not null");
        }
        where.range("b.grantedAt", filter.grantedAt());
        where.range("b.revokedAt", filter.revokedAt());
        return where;
    }

    /** A JPQL condition and its parameters, built from literals only (values are always bound). */
    private static final class Where {
        private final StringBuilder jpql = new StringBuilder();
        private final Map<String, Object> parameters = new LinkedHashMap<>();

        void text(String expression, BindingFilter.Text text) {
            if (text == null) {
                return;
            }
            if (text.anyOf() != null) {
                jpql.append(" and ").append(expression).append(" in :").append(next(new ArrayList<>(text.anyOf())));
            }
            if (text.noneOf() != null && !text.noneOf().isEmpty()) {
                jpql.append(" and ").append(expression).append(" not in :").append(next(new ArrayList<>(text.noneOf())));
            }
            if (text.like() != null) {
                jpql.append(" and ").append(expression).append(" like :").append(next(text.like()));
            }
        }

        void range(String expression, BindingFilter.Range range) {
            if (range == null) {
                return;
            }
            if (range.from() != null) {
                jpql.append(" and ").append(expression).append(" >= :").append(next(range.from()));
            }
            if (range.to() != null) {
                jpql.append(" and ").append(expression).append(" <= :").append(next(range.to()));
            }
        }

        private String next(Object value) {
            String name = "p" + parameters.size();
            parameters.put(name, value);
            return name;
        }

        <T> TypedQuery<T> bind(TypedQuery<T> query) {
            parameters.forEach(query::setParameter);
            return query;
        }
    }
}
