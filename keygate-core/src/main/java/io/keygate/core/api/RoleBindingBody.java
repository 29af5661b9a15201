package io.keygate.core.api;

/**
 * NeMo Platform's IAM role binding, plus who revoked it: revoked_at / revoked_by are null while
 * the binding is active. {@code name} is {@link io.keygate.core.iam.RoleBindings#nameOf} of {@code id}.
 */
public record RoleBindingBody(String id, String name, String principal, String workspace, String role, String granted_by,
                              String granted_at, String revoked_at, String revoked_by) {
}
