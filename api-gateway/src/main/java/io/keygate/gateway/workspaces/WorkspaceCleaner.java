package io.keygate.gateway.workspaces;

import io.keygate.gateway.resources.ResourceRepository;
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
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "keygate-workspace-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    public WorkspaceCleaner(CleanupRepository cleanups, ResourceRepository resources, ExtensionClient extension,
                            Supplier<String> serviceToken) {
        this.cleanups = cleanups;
        this.resources = resources;
        this.extension = extension;
        this.serviceToken = serviceToken;
    }

    /** Records the cleanup durably (stage pending) and schedules it. */
    public Cleanup start(String workspace, String requestedBy) {
        Cleanup cleanup = cleanups.begin(workspace, requestedBy);
        worker.submit(() -> run(workspace));
        return cleanup;
    }

    /** Schedules every cleanup a previous run did not finish. */
    public void resumeUnfinished() {
        for (Cleanup cleanup : cleanups.unfinished()) {
            worker.submit(() -> run(cleanup.workspace()));
        }
    }

    private void run(String workspace) {
        try {
            String token = serviceToken.get();
            setRemoteStage(workspace, token, CleanupStage.deleting);
            cleanups.setStage(workspace, CleanupStage.deleting, null);
            int removed = resources.deleteWorkspaceContents(workspace);
            ExtensionClient.Reply deleted = extension.delete("/workspaces/" + ExtensionClient.segment(workspace), token);
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

    private void setRemoteStage(String workspace, String token, CleanupStage stage) {
        ExtensionClient.Reply reply = extension.put("/workspaces/" + ExtensionClient.segment(workspace) + "/deletion-stage",
                token, "{\"stage\":\"" + stage.name() + "\"}");
        if (!reply.isSuccess()) {
            throw new IllegalStateException("could not set deletion stage " + stage + ": " + reply.status() + " " + reply.body());
        }
    }

    private void markFailed(String workspace, RuntimeException cause) {
        try {
            cleanups.setStage(workspace, CleanupStage.failed, cause.getMessage());
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
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
