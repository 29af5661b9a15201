package io.keygate.keycloak.freshness.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import io.keygate.keycloak.freshness.capture.ChangeCapture;
import io.keygate.keycloak.freshness.capture.Outbox;
import io.keygate.keycloak.freshness.capture.OutboxCommitted;
import io.keygate.keycloak.freshness.delivery.PollService;
import io.keygate.keycloak.freshness.delivery.Sequencer;
import io.keygate.keycloak.freshness.delivery.SsfConfig;
import io.keygate.keycloak.freshness.delivery.StreamStore;
import io.keygate.keycloak.freshness.delivery.Wakeups;
import io.keygate.keycloak.workspace.WholeModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * The freshness transmitter of this Keycloak node: serves {@link SsfResource} at
 * {@code /realms/{realm}/keygate-ssf}, registers {@link ChangeCapture} for model events, and runs
 * the node's {@link Sequencer} on one thread: right after each local commit that wrote outbox rows
 * and every {@code sequencer-millis} for rows committed elsewhere (another node, a crashed attempt),
 * plus the retention purge once a minute.
 */
@AutoService(RealmResourceProviderFactory.class)
public final class SsfResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String ID = "keygate-ssf";

    private static final Logger LOG = Logger.getLogger(SsfResourceProviderFactory.class);
    private static final long PURGE_MILLIS = 60_000L;

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final Wakeups wakeups = new Wakeups();
    private final AtomicBoolean kicked = new AtomicBoolean();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private SsfConfig config;
    private PollService polls;
    private Sequencer sequencer;
    private ScheduledExecutorService executor;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        SsfResource resource = new SsfResource(session, config, polls, json);
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return resource;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope scope) {
        config = SsfConfig.from(scope);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        polls = new PollService(factory, wakeups, config, json);
        sequencer = new Sequencer(factory, wakeups, json, config.settleMillis());
        factory.register(WholeModel.listener(new ChangeCapture(new Outbox())));
        factory.register(event -> {
            if (event instanceof OutboxCommitted committed) {
                ready.addAll(committed.rowIds());
                kick();
            } else if (event instanceof PostMigrationEvent) {
                start(factory);
            }
        });
    }

    private synchronized void start(KeycloakSessionFactory factory) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "keygate-ssf-sequencer");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> sequencer.sequenceAll(Set.of()), config.sequencerMillis(), config.sequencerMillis(),
                TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> purge(factory), PURGE_MILLIS, PURGE_MILLIS, TimeUnit.MILLISECONDS);
        LOG.infof("keygate SSF transmitter started (long-poll %d ms, receivers %s)", config.longPollMillis(), config.receiverClients());
    }

    /** Sequences at once on the sequencer thread; kicks arriving while one is queued are merged. */
    private void kick() {
        ScheduledExecutorService running = executor;
        if (running != null && kicked.compareAndSet(false, true)) {
            running.execute(() -> {
                kicked.set(false);
                Set<String> ids = new HashSet<>(ready);
                ready.removeAll(ids);
                sequencer.sequenceAll(ids);
            });
        }
    }

    private void purge(KeycloakSessionFactory factory) {
        try {
            long cutoff = System.currentTimeMillis() - config.retentionMillis();
            KeycloakModelUtils.runJobInTransaction(factory, session -> new StreamStore(session).purge(cutoff));
        } catch (RuntimeException e) {
            LOG.warnf(e, "Purging delivered security events failed");
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(SsfConfig.LONG_POLL_SECONDS).type("int").defaultValue(20)
                .helpText("Longest time a poll with nothing pending is held before it is answered empty.").add()
                .property().name(SsfConfig.RECHECK_MILLIS).type("int").defaultValue(150)
                .helpText("How often a held poll re-reads the database for events sequenced by another node.").add()
                .property().name(SsfConfig.SEQUENCER_MILLIS).type("int").defaultValue(100)
                .helpText("How often each node sequences committed events it was not told about.").add()
                .property().name(SsfConfig.SETTLE_MILLIS).type("int").defaultValue(2000)
                .helpText("Age after which a committed event no local commit reported (other node, crash) is sequenced.").add()
                .property().name(SsfConfig.RETENTION_HOURS).type("int").defaultValue(24)
                .helpText("Longest time an undelivered event or an unpolled stream is kept.").add()
                .property().name(SsfConfig.RECEIVER_CLIENTS).type("string").defaultValue(SsfConfig.DEFAULT_RECEIVER)
                .helpText("Comma-separated client ids whose service accounts may create and poll streams.").add()
                .build();
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public String getId() {
        return ID;
    }
}
