package io.keygate.gateway.workspaces;

import io.keygate.gateway.config.ConfigTree;
import java.time.Duration;

/**
 * How workspace cleanups run ({@code cleanup.*}).
 *
 * @param leaseDuration how long a gateway's lease on a cleanup lasts without renewal (also the
 *                      period of the scan that takes expired leases over)
 * @param batchSize     TEST ONLY: delete the resources in batches of this many; 0 (the default)
 *                      deletes them in one transaction
 * @param batchPause    TEST ONLY: the pause between two batches, so a test can kill a gateway mid-way
 */
public record CleanupSettings(Duration leaseDuration, int batchSize, Duration batchPause) {

    private static final Duration MAX = Duration.ofHours(1);

    public CleanupSettings {
        leaseDuration = leaseDuration == null || leaseDuration.isZero() ? WorkspaceCleaner.Lease.DEFAULT_DURATION : leaseDuration;
        batchSize = Math.max(0, batchSize);
        batchPause = batchPause == null ? Duration.ZERO : batchPause;
    }

    /** A 30 s lease, no batching. */
    public static CleanupSettings defaults() {
        return new CleanupSettings(WorkspaceCleaner.Lease.DEFAULT_DURATION, 0, Duration.ZERO);
    }

    public static CleanupSettings from(ConfigTree tree) {
        return new CleanupSettings(tree.duration("cleanup.leaseDuration", MAX), tree.integer("cleanup.testOnlyBatchSize", 0, 1_000_000),
                tree.duration("cleanup.testOnlyBatchPause", MAX));
    }

    /** True when the resources are deleted in several transactions (tests only). */
    public boolean batched() {
        return batchSize > 0;
    }
}
