package io.keygate.keycloak.org;

import io.keygate.core.OrgRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * Organization roles (NICo model) read from Keycloak Organizations: a user holds an org role by
 * being a member of the organization group named after it ({@code PROVIDER_ADMIN},
 * {@code PROVIDER_VIEWER}, {@code TENANT_ADMIN}).
 */
public final class OrgRoles {

    private static final Logger LOG = Logger.getLogger(OrgRoles.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    public OrgRoles(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Per organization alias: its name and the roles the user holds there, e.g. {@code acme → (Acme Corp, [TENANT_ADMIN])}. */
    public Map<String, Membership> of(UserModel user) {
        Map<String, Membership> result = new TreeMap<>();
        OrganizationProvider organizations = provider();
        if (organizations == null) {
            return result;
        }
        organizations.getByMember(user).forEach(org -> {
            TreeSet<String> roles = new TreeSet<>();
            organizations.getOrganizationGroupsByMember(org, user)
                    .map(GroupModel::getName)
                    .filter(name -> OrgRole.parse(name).isPresent())
                    .forEach(roles::add);
            result.put(org.getAlias(), new Membership(org.getName(), List.copyOf(roles)));
        });
        return result;
    }

    /** Creates the three org-role groups in every organization of the realm where they are missing. */
    public void ensureRoleGroups() {
        OrganizationProvider organizations = provider();
        if (organizations == null) {
            return;
        }
        organizations.getAllStream().toList().forEach(org -> ensureRoleGroups(organizations, org));
    }

    /** Creates the org-role groups of one organization where they are missing (an organization made after start-up). */
    public void ensureRoleGroups(String organizationId) {
        OrganizationProvider organizations = provider();
        OrganizationModel org = organizations == null ? null : organizations.getById(organizationId);
        if (org != null) {
            ensureRoleGroups(organizations, org);
        }
    }

    private void ensureRoleGroups(OrganizationProvider organizations, OrganizationModel org) {
        for (OrgRole role : OrgRole.values()) {
            boolean exists = organizations.searchGroupsByName(org, role.name(), true, 0, 1).findAny().isPresent();
            if (!exists) {
                organizations.createGroup(org, role.name(), null);
                LOG.infof("Created org role group %s in organization %s of realm %s", role, org.getAlias(), realm.getName());
            }
        }
    }

    private OrganizationProvider provider() {
        if (!realm.isOrganizationsEnabled()) {
            return null;
        }
        session.getContext().setRealm(realm);
        return session.getProvider(OrganizationProvider.class);
    }

    /** An organization's display name and the user's roles in it. */
    public record Membership(String name, List<String> roles) {

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("roles", roles);
            return json;
        }
    }
}
