package io.keygate.gateway.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.freshness.Change.ClaimsChange;
import io.keygate.gateway.freshness.Change.SessionRevoked;
import io.keygate.gateway.freshness.Change.WorkspaceChange;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory change state: newest wins, bounded, and forgetting never makes an old token current. */
class FeedStateTest {

    @Test
    void theNewestChangePerKeyWinsWhateverTheOrderOfArrival() {
        FeedState state = new FeedState(1000);
        state.apply(new ClaimsChange("bob", 2000, Map.of("workspaces", Map.of("ws", "Viewer"))));
        state.apply(new ClaimsChange("bob", 1000, Map.of("workspaces", Map.of("ws", "Admin"))));
        assertEquals(Map.of("ws", "Viewer"), state.claimsOf("bob").claims().get("workspaces"));
        assertEquals(2000, state.newestEventMillis());
        assertEquals(2, state.version(), "every applied change moves the version");
    }

    @Test
    void changesOlderThanAnyLiveTokenAreForgotten() {
        FeedState state = new FeedState(1000);
        state.apply(new ClaimsChange("old", 1000, Map.of()));
        state.apply(new SessionRevoked("old", null, 1000, "logout"));
        state.apply(new SessionRevoked("old", "sid", 1000, "logout"));
        state.apply(new WorkspaceChange("ws", 1000, null, true));
        state.apply(new ClaimsChange("new", 5000, Map.of()));

        assertEquals(4, state.forgetOlderThan(2000));
        assertNull(state.claimsOf("old"));
        assertNull(state.subjectRevocation("old"));
        assertNull(state.sessionRevocation("sid"));
        assertTrue(state.workspaceChanges().isEmpty());
        assertEquals(5000, state.claimsOf("new").eventMillis());
        assertEquals(0, state.persistentHorizon(), "forgetting by age needs no horizon: no live token predates those changes");
    }

    @Test
    void pastTheBoundTheOldestAreDroppedAndWhatTheyCoveredBecomesUnverified() {
        FeedState state = new FeedState(100);
        for (int i = 1; i <= 101; i++) {
            state.apply(new ClaimsChange("user-" + i, i * 1000L, Map.of()));
        }
        assertTrue(state.size() <= 100, "bounded: " + state.size());
        assertNull(state.claimsOf("user-1"));
        long horizon = state.persistentHorizon();
        assertTrue(horizon > 1000, "tokens older than the dropped changes are unverified, horizon " + horizon);
        long oldestKept = Long.MAX_VALUE;
        for (int i = 1; i <= 101; i++) {
            ClaimsChange kept = state.claimsOf("user-" + i);
            if (kept != null) {
                oldestKept = Math.min(oldestKept, kept.eventMillis());
            }
        }
        assertTrue(horizon <= oldestKept + 1, "no kept change is hidden behind the horizon");
    }

    @Test
    void untilTheFeedCaughtUpEveryTokenIsUnverified() {
        FeedState state = new FeedState(1000);
        state.unverifiedBefore(5000);
        assertEquals(Long.MAX_VALUE, state.horizon());
        state.caughtUp(true);
        assertEquals(5000, state.horizon());
        state.unverifiedBefore(4000);
        assertEquals(5000, state.horizon(), "the horizon never moves back");
    }
}
