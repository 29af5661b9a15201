package io.keygate.keycloak.pending;

import com.google.auto.service.AutoService;
import io.keygate.keycloak.bootstrap.BootstrapListener;
import io.keygate.keycloak.console.ConsoleAdminSettings;
import io.keygate.keycloak.console.ConsoleAdminsListener;
import io.keygate.keycloak.freshness.capture.Outbox;
import io.keygate.keycloak.freshness.capture.EventCapture;
import io.keygate.keycloak.membership.MembershipGuard;
import io.keygate.keycloak.workspace.WholeModel;
import io.keygate.keycloak.workspace.WorkspaceTreeGuard;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * Factory of the {@code keygate-events} listener. Its {@link #postInit} also registers the
 * server-wide listeners that do not depend on a realm's event settings: the membership guard
 * (grant metadata, last-Admin rule for every membership change), the guard of the workspace
 * group tree (no rename, move or delete outside the keygate API), the built-in workspace bootstrap
 * and the workspace Admins' admin-console permissions ({@link ConsoleAdminSettings}, this provider's config).
 */
@AutoService(EventListenerProviderFactory.class)
public final class KeygateEventListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "keygate-events";

    private final EventCapture eventCapture = new EventCapture(new Outbox());
    private ConsoleAdminSettings consoleAdmins = ConsoleAdminSettings.DEFAULTS;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new KeygateEventListener(session, eventCapture);
    }

    @Override
    public void init(Config.Scope config) {
        consoleAdmins = ConsoleAdminSettings.from(config);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ConsoleAdminSettings.configMetadata();
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(WholeModel.listener(new MembershipGuard()));
        factory.register(WholeModel.listener(new WorkspaceTreeGuard()));
        factory.register(WholeModel.listener(new BootstrapListener(factory)));
        factory.register(WholeModel.listener(new ConsoleAdminsListener(factory, consoleAdmins)));
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
