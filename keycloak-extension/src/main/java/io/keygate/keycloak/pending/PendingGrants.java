package io.keygate.keycloak.pending;

import io.keygate.core.Role;
import io.keygate.keycloak.membership.Grant;
import io.keygate.keycloak.membership.Member;
import io.keygate.keycloak.membership.Memberships;
import io.keygate.keycloak.membership.Principals;
import io.keygate.keycloak.workspace.WorkspaceGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Roles granted to an email that has no Keycloak user yet. Kept on the workspace group: the
 * multi-valued attribute {@code keygate.pending_email} lists the emails (so a new user's
 * workspaces are found with one attribute search) and {@code keygate.pending.<email>} holds
 * {@code <roles>|<granted_at>|<granted_by>}. When the user appears the grant becomes a membership.
 */
public final class PendingGrants {

    static final String ATTR_EMAILS = "keygate.pending_email";
    static final String ATTR_PREFIX = "keygate.pending.";

    private static final Logger LOG = Logger.getLogger(PendingGrants.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    public PendingGrants(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Pending grants of a workspace as member rows with {@code pending: true}. */
    public List<Member> list(GroupModel workspace) {
        List<Member> members = new ArrayList<>();
        workspace.getAttributeStream(ATTR_EMAILS).forEach(email -> find(workspace, email).ifPresent(members::add));
        return members;
    }

    /** The pending grant to {@code email} in a workspace. */
    public Optional<Member> find(GroupModel workspace, String email) {
        String normalized = Principals.normalizeEmail(email);
        return decode(normalized, workspace.getFirstAttribute(ATTR_PREFIX + normalized));
    }

    /** Stores (replacing) the pending roles of {@code email}. */
    public void put(GroupModel workspace, String email, Set<Role> roles, Grant grant) {
        String normalized = Principals.normalizeEmail(email);
        String roleNames = roles.stream().map(Role::name).sorted().collect(Collectors.joining(","));
        workspace.setSingleAttribute(ATTR_PREFIX + normalized, roleNames + "|" + grant.encode());
        List<String> emails = workspace.getAttributeStream(ATTR_EMAILS).collect(Collectors.toCollection(ArrayList::new));
        if (!emails.contains(normalized)) {
            emails.add(normalized);
            workspace.setAttribute(ATTR_EMAILS, emails);
        }
    }

    /** Drops the pending grant of {@code email}; true when there was one. */
    public boolean remove(GroupModel workspace, String email) {
        String normalized = Principals.normalizeEmail(email);
        boolean existed = workspace.getFirstAttribute(ATTR_PREFIX + normalized) != null;
        workspace.removeAttribute(ATTR_PREFIX + normalized);
        List<String> emails = workspace.getAttributeStream(ATTR_EMAILS).filter(e -> !e.equals(normalized)).toList();
        if (emails.isEmpty()) {
            workspace.removeAttribute(ATTR_EMAILS);
        } else {
            workspace.setAttribute(ATTR_EMAILS, new ArrayList<>(emails));
        }
        return existed;
    }

    /**
     * Turns every pending grant to the user's email into role bindings, keeping the original
     * granted_at and granted_by. Returns the number of workspaces resolved.
     */
    public int resolve(UserModel user) {
        if (user.getEmail() == null || user.getServiceAccountClientLink() != null) {
            return 0;
        }
        String email = Principals.normalizeEmail(user.getEmail());
        List<GroupModel> workspaces = session.groups()
                .searchGroupsByAttributes(realm, Map.of(ATTR_EMAILS, email), null, null)
                .filter(WorkspaceGroups::isWorkspaceGroup)
                .toList();
        Memberships memberships = new Memberships(session, realm);
        for (GroupModel workspace : workspaces) {
            find(workspace, email).ifPresent(pending -> memberships.grant(user, workspace, pending.roles(), pending.grant()));
            remove(workspace, email);
            LOG.infof("Resolved pending grant of %s in workspace %s", email, workspace.getName());
        }
        return workspaces.size();
    }

    private static Optional<Member> decode(String email, String value) {
        if (value == null) {
            return Optional.empty();
        }
        int bar = value.indexOf('|');
        if (bar < 0) {
            return Optional.empty();
        }
        TreeSet<Role> roles = new TreeSet<>();
        for (String name : value.substring(0, bar).split(",")) {
            Role.parse(name).ifPresent(roles::add);
        }
        return Grant.decode(value.substring(bar + 1)).map(grant -> new Member(email, roles, grant, true));
    }
}
