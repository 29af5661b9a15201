package io.keygate.gateway.workspaces;

import io.keygate.core.api.ExtensionApi;
import io.keygate.gateway.resources.ResourceRepository;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background deletion of a workspace and everything it holds (seed 003): stage pending, then
 * deleting (resources removed from the store), then the workspace group is deleted in Keycloak and
 * the record disappears ("gone"). On any error the stage becomes failed; deleting the workspace
 * again retries. Unfinished cleanups are resumed when the gateway starts.
 *
 * <p>Run-once contract (several gateways on one store): a cleanup runs only while this instance
 * holds its lease in the store ({@link CleanupRepository#claim}, an atomic UPDATE); the lease is
 * renewed every third of {@link Lease#duration()} while the work runs. A crashed instance stops
 * renewing, its lease expires, and the periodic scan of another instance takes the cleanup over and
 * runs it from the start (every step is idempotent: deleting what is already gone is a no-op, the
 * extension answers 404 for a deleted group).
 *
 * <p>Security contract: the background steps use the gateway's service-account token, because the
 * requesting admin's token may expire before the work is done; they are only ever started by a
 * request the extension already authorized with the caller's own token.
 */
public final class WorkspaceCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceCleaner.class);

    private final CleanupRepository cleanups;
    private final ResourceRepository resources;
    private final ExtensionClient extension;
    private final Supplier<String> serviceToken;
    private final Lease lease;
    private final CleanupSettings settings;
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "keygate-cleanup-leases");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "keygate-workspace-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * The lease this instance takes on a cleanup.
     *
     * @param owner    this instance's id in the store (unique per process)
     * @param duration how long a lease lasts without renewal; also the period of the takeover scan
     */
    public record Lease(String owner, java.time.Duration duration) {
        public static final java.time.Duration DEFAULT_DURATION = java.time.Duration.ofSeconds(30);

        /** {@code <hostname>:<pid>:<random>}: a restarted process is a new owner and waits for the old lease to expire. */
        public static Lease forThisProcess(java.time.Duration duration) {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown-host";
            }
            return new Lease(host + ":" + ProcessHandle.current().pid() + ":"
                    + java.util.UUID.randomUUID().toString().substring(0, 8), duration);
        }
    }

    public WorkspaceCleaner(CleanupRepository cleanups, ResourceRepository resources, ExtensionClient extension,
                            Supplier<String> serviceToken) {
        this(cleanups, resources, extension, serviceToken, Lease.forThisProcess(Lease.DEFAULT_DURATION));
    }

    public WorkspaceCleaner(CleanupRepository cleanups, ResourceRepository resources, ExtensionClient extension,
                            Supplier<String> serviceToken, Lease lease) {
        this(cleanups, resources, extension, serviceToken, lease, CleanupSettings.defaults());
    }

    public WorkspaceCleaner(CleanupRepository cleanups, ResourceRepository resources, ExtensionClient extension,
                            Supplier<String> serviceToken, Lease lease, CleanupSettings settings) {
        this.settings = settings;
        this.cleanups = cleanups;
        this.resources = resources;
        this.extension = extension;
        this.serviceToken = serviceToken;
        this.lease = lease;
        long period = lease.duration().toMillis();
        timer.scheduleWithFixedDelay(this::resumeQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    /** This instance's lease owner id. */
    public String owner() {
        return lease.owner();
    }

    /** Records the cleanup durably (stage pending) and schedules it. */
    public Cleanup start(String workspace, String requestedBy) {
        Cleanup cleanup = cleanups.begin(workspace, requestedBy);
        worker.submit(() -> run(workspace));
        return cleanup;
    }

    /** Schedules every unfinished cleanup (a previous run's, or one whose owner's lease expired). */
    public void resumeUnfinished() {
        for (Cleanup cleanup : cleanups.unfinished()) {
            worker.submit(() -> run(cleanup.workspace()));
        }
    }

    private void resumeQuietly() {
        try {
            resumeUnfinished();
        } catch (RuntimeException e) {
            LOG.warn("could not scan for unfinished cleanups: {}", e.getMessage());
        }
    }

    private boolean claim(String workspace) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return cleanups.claim(workspace, lease.owner(), now, now.plus(lease.duration()));
    }

    private void run(String workspace) {
        if (!claim(workspace)) {
            return; // finished, failed, or leased by a live instance
        }
        long period = Math.max(1, lease.duration().toMillis() / 3);
        java.util.concurrent.ScheduledFuture<?> renewal = timer.scheduleAtFixedRate(() -> renewQuietly(workspace),
                period, period, TimeUnit.MILLISECONDS);
        try {
            clean(workspace);
        } finally {
            renewal.cancel(false);
        }
    }

    private void renewQuietly(String workspace) {
        try {
            if (!claim(workspace)) {
                LOG.warn("lease on the cleanup of {} lost", workspace);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not renew the lease on the cleanup of {}: {}", workspace, e.getMessage());
        }
    }

    private void clean(String workspace) {
        try {
            String token = serviceToken.get();
            setRemoteStage(workspace, token, CleanupStage.deleting);
            cleanups.setStage(workspace, CleanupStage.deleting, null);
            int removed = deleteResources(workspace);
            ExtensionClient.Reply deleted = extension.delete(ExtensionApi.workspacePath(workspace), token);
            if (!deleted.isSuccess() && deleted.status() != 404) {
                throw new IllegalStateException("Keycloak refused to delete the workspace: " + deleted.status() + " " + deleted.body());
            }
            cleanups.finish(workspace);
            LOG.info("workspace {} deleted with {} resources", workspace, removed);
        } catch (RuntimeException e) {
            LOG.warn("cleanup of workspace {} failed: {}", workspace, e.getMessage());
            markFailed(workspace, e);
        }
    }

    /** All at once; in batches with pauses only when a test asked for it ({@link CleanupSettings#batched()}). */
    private int deleteResources(String workspace) {
        if (!settings.batched()) {
            return resources.deleteWorkspaceContents(workspace);
        }
        int removed = 0;
        for (int batch = resources.deleteWorkspaceBatch(workspace, settings.batchSize()); batch > 0;
             batch = resources.deleteWorkspaceBatch(workspace, settings.batchSize())) {
            removed += batch;
            LOG.info("cleanup of workspace {}: deleted a batch of {} resources ({} so far)", workspace, batch, removed);
            pauseBetweenBatches();
        }
        return removed;
    }

    private void pauseBetweenBatches() {
        try {
            Thread.sleep(settings.batchPause().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cleanup interrupted", e);
        }
    }

    private void setRemoteStage(String workspace, String token, CleanupStage stage) {
        ExtensionClient.Reply reply = extension.put(ExtensionApi.deletionStagePath(workspace),
                token, "{\"stage\":\"" + stage.name() + "\"}");
        if (!reply.isSuccess()) {
            throw new IllegalStateException("could not set deletion stage " + stage + ": " + reply.status() + " " + reply.body());
        }
    }

    private void markFailed(String workspace, RuntimeException cause) {
        try {
            cleanups.setStage(workspace, CleanupStage.failed, cause.getMessage());
            cleanups.release(workspace, lease.owner());
            setRemoteStage(workspace, serviceToken.get(), CleanupStage.failed);
        } catch (RuntimeException e) {
            LOG.warn("could not record the failed cleanup of {}: {}", workspace, e.getMessage());
        }
    }

    /** A hold on the cleanup worker; closing it lets queued cleanups run. */
    public interface Pause extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds the worker: cleanups started meanwhile stay recorded in stage pending until the pause
     * is closed (maintenance, and tests that observe the pending stage).
     */
    public Pause pause() throws InterruptedException {
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        worker.submit(() -> {
            holding.countDown();
            release.await();
            return null;
        });
        holding.await();
        return release::countDown;
    }

    /** Waits up to {@code timeout} for the queued work to end (for orderly shutdown and tests). */
    public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            worker.submit(() -> { }).get(timeout, unit);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
