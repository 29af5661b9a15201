package io.keygate.gateway.resources;

import io.javalin.http.HandlerType;
import java.util.List;

/**
 * The kinds of resources the gateway keeps per workspace, with their NeMo Platform paths. The
 * declaration order is the order used when a workspace deletion lists what is left.
 */
public enum ResourceKind {
    PROJECT("project", "projects", "/apis/entities/v2/workspaces/{workspace}/projects", true),
    FILESET("dataset", "filesets", "/apis/files/v2/workspaces/{workspace}/filesets", true),
    MODEL("model", "models", "/apis/models/v2/workspaces/{workspace}/models", true),
    DEPLOYMENT("deployment", "deployments", "/apis/models/v2/workspaces/{workspace}/deployments", true),
    JOB("job", "jobs", "/apis/jobs/v2/workspaces/{workspace}/jobs", false);

    private final String label;
    private final String collection;
    private final String collectionPath;
    private final boolean updatable;

    ResourceKind(String label, String collection, String collectionPath, boolean updatable) {
        this.label = label;
        this.collection = collection;
        this.collectionPath = collectionPath;
        this.updatable = updatable;
    }

    /** Singular name used in messages; filesets are called "dataset" as in NeMo Platform's messages. */
    public String label() {
        return label;
    }

    /** Value stored in the {@code kind} column. */
    public String storedName() {
        return collection;
    }

    /** Path of the collection, with the {@code {workspace}} parameter. */
    public String collectionPath() {
        return collectionPath;
    }

    /** Path of one item, with {@code {workspace}} and {@code {name}}. */
    public String itemPath() {
        return collectionPath + "/{name}";
    }

    /** Methods that update one item (PUT and PATCH, both merging); empty when the kind cannot be updated. */
    public List<HandlerType> updateMethods() {
        return updatable ? List.of(HandlerType.PUT, HandlerType.PATCH) : List.of();
    }

    public static ResourceKind fromStoredName(String stored) {
        for (ResourceKind kind : values()) {
            if (kind.collection.equals(stored)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown resource kind " + stored);
    }
}
