package io.keygate.gateway.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.core.ApiException;
import io.keygate.core.iam.RoleBindings;
import io.keygate.gateway.freshness.Change.ClaimsChange;
import io.keygate.gateway.freshness.Change.SessionRevoked;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PropagationTest {

    private static final String ISSUER = "https://idp.example/realms/keygate";

    private final FeedState state = new FeedState(1000);
    private final Propagation propagation = new Propagation(Duration.ofSeconds(5));

    PropagationTest() {
        propagation.watch(ISSUER, state);
    }

    @Test
    void aWaitEndsWhenTheSubjectsChangeIsApplied() throws Exception {
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> propagation.await(ISSUER, List.of("bob"), 1000));
        Thread.sleep(50); // lets the wait register; the outcome does not depend on it (an earlier apply is found in the state)
        state.apply(new ClaimsChange("alice", 5000, Map.of()));
        state.apply(new ClaimsChange("bob", 999, Map.of()));
        assertFalse(waiting.isDone(), "neither another subject's change nor an older one ends the wait");
        state.apply(new ClaimsChange("bob", 1000, Map.of()));
        assertTrue(waiting.get(2, TimeUnit.SECONDS));
    }

    @Test
    void aChangeAppliedBeforeTheWaitCounts() {
        state.apply(new SessionRevoked("carol", null, 3000, "user disabled"));
        assertTrue(propagation.await(ISSUER, List.of("carol"), 2500));
    }

    @Test
    void everySubjectMustBeApplied() {
        Propagation shortWait = new Propagation(Duration.ofMillis(200));
        shortWait.watch(ISSUER, state);
        state.apply(new ClaimsChange("dave", 2000, Map.of()));
        assertFalse(shortWait.await(ISSUER, List.of("dave", "erin"), 1500), "erin's change never came");
    }

    @Test
    void writeWaitNamesTheOutcome() {
        Clock clock = Clock.systemUTC();
        WriteWait wait = new WriteWait(new Propagation(Duration.ofMillis(100)), ISSUER, clock);
        assertEquals(RoleBindings.NOT_WAITED, wait.settle(true, Optional.of("frank"), 0), "an issuer without a feed: nothing to wait for");

        Propagation watching = new Propagation(Duration.ofMillis(100));
        watching.watch(ISSUER, state);
        WriteWait waiting = new WriteWait(watching, ISSUER, clock);
        long started = waiting.start();
        assertEquals(RoleBindings.NOT_CONFIRMED, waiting.settle(true, Optional.of("gina"), started));
        assertEquals(RoleBindings.NOT_WAITED, waiting.settle(false, Optional.of("gina"), started));
        assertEquals(RoleBindings.NOT_WAITED, waiting.settle(true, Optional.empty(), started), "no subject changed (pending grant, no-op)");
        state.apply(new ClaimsChange("gina", started + 1, Map.of()));
        assertEquals(RoleBindings.CONFIRMED, waiting.settle(true, Optional.of(" gina "), started));
    }

    @Test
    void theParameterIsTrueFalseOrAbsent() {
        assertTrue(WriteWait.requested(null));
        assertTrue(WriteWait.requested("true"));
        assertFalse(WriteWait.requested("false"));
        assertEquals(422, assertThrows(ApiException.class, () -> WriteWait.requested("soon")).status());
    }
}
