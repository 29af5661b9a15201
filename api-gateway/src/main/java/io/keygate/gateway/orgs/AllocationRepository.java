package io.keygate.gateway.orgs;

import io.keygate.gateway.store.Database;
import io.keygate.gateway.store.RowConflict;
import io.keygate.gateway.store.RowNotFound;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Allocations in the gateway's store (table {@code org_allocations}), each write committed before it returns. */
public final class AllocationRepository {

    private static final String COLUMNS = "id, org, name, description, created_at, created_by, updated_at, updated_by";

    private final Database database;

    public AllocationRepository(Database database) {
        this.database = database;
    }

    public Allocation create(String org, String name, String description, String actor, OffsetDateTime now) {
        return database.inTransaction(connection -> {
            if (findByName(connection, org, name).isPresent()) {
                throw new RowConflict("allocation '" + name + "' already exists in organization '" + org + "'");
            }
            Allocation allocation = new Allocation(UUID.randomUUID().toString(), org, name, description, now, actor, now, actor);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO org_allocations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, allocation.id());
                insert.setString(2, org);
                insert.setString(3, name);
                insert.setString(4, description);
                insert.setObject(5, now);
                insert.setString(6, actor);
                insert.setObject(7, now);
                insert.setString(8, actor);
                insert.executeUpdate();
            }
            return allocation;
        });
    }

    public List<Allocation> list(String org) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM org_allocations WHERE org = ? ORDER BY created_at, name")) {
                select.setString(1, org);
                return read(select);
            }
        });
    }

    public Allocation get(String org, String id) {
        return database.inTransaction(connection -> find(connection, org, id))
                .orElseThrow(() -> new RowNotFound("allocation '" + id + "' not found in organization '" + org + "'"));
    }

    public Allocation updateDescription(String org, String id, String description, String actor, OffsetDateTime now) {
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE org_allocations SET description = ?, updated_at = ?, updated_by = ? WHERE org = ? AND id = ?")) {
                update.setString(1, description);
                update.setObject(2, now);
                update.setString(3, actor);
                update.setString(4, org);
                update.setString(5, id);
                if (update.executeUpdate() == 0) {
                    throw new RowNotFound("allocation '" + id + "' not found in organization '" + org + "'");
                }
            }
            return find(connection, org, id).orElseThrow();
        });
    }

    public void delete(String org, String id) {
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM org_allocations WHERE org = ? AND id = ?")) {
                delete.setString(1, org);
                delete.setString(2, id);
                if (delete.executeUpdate() == 0) {
                    throw new RowNotFound("allocation '" + id + "' not found in organization '" + org + "'");
                }
            }
            return null;
        });
    }

    private static Optional<Allocation> find(Connection connection, String org, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM org_allocations WHERE org = ? AND id = ?")) {
            select.setString(1, org);
            select.setString(2, id);
            return read(select).stream().findFirst();
        }
    }

    private static Optional<Allocation> findByName(Connection connection, String org, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM org_allocations WHERE org = ? AND name = ?")) {
            select.setString(1, org);
            select.setString(2, name);
            return read(select).stream().findFirst();
        }
    }

    private static List<Allocation> read(PreparedStatement select) throws SQLException {
        List<Allocation> allocations = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                allocations.add(new Allocation(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getObject(5, OffsetDateTime.class), rows.getString(6), rows.getObject(7, OffsetDateTime.class),
                        rows.getString(8)));
            }
        }
        return allocations;
    }
}
