package io.keygate.gateway.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keygate.gateway.auth.AuthenticatedCaller;
import io.keygate.gateway.auth.OverageResolver;
import io.keygate.gateway.auth.TokenAuthenticator;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.freshness.Change.ClaimsChange;
import io.keygate.gateway.support.TestGateway;
import io.keygate.gateway.support.TestIssuer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Judgements made while a change is being applied: once the feed is quiet, the next judgement of
 * an older token must reflect the newest change, never a result cached from the state before it
 * (a platform-admin removal that arrived while the same token was being judged once stayed
 * unenforced until the next, unrelated event).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshnessJudgeRaceTest {

    private static final int ROUNDS = 1_000;

    private TestIssuer issuer;
    private TokenAuthenticator tokens;

    @BeforeAll
    void start() {
        issuer = new TestIssuer("race");
        GatewayConfig config = ConfigLoader.fromYaml(TestGateway.config(TestGateway.issuerYaml("race", issuer, TestIssuer.AUDIENCE, "")), Map.of());
        tokens = new TokenAuthenticator(config.issuers(), "platform-admin", 16384, 100, new OverageResolver(Duration.ofSeconds(5)));
    }

    @AfterAll
    void stop() {
        issuer.close();
    }

    @Test
    void aChangeAppliedDuringAJudgementIsSeenByTheNextOne() throws Exception {
        String token = issuer.token("race@example.com", Map.of(),
                b -> b.subject("racer").issueTime(new Date(System.currentTimeMillis() - 10_000))
                        .claim("realm_access", Map.of("roles", List.of("platform-admin"))));
        AuthenticatedCaller caller = tokens.authenticate(token);
        FeedState state = new FeedState(10_000);
        state.caughtUp(true);
        FreshnessJudge judge = new FreshnessJudge(List.of(new FreshnessJudge.IssuerFeed("race", state, null)), tokens,
                new FeedMetrics(new PrometheusRegistry()), Clock.systemUTC(), 100);

        long eventMillis = System.currentTimeMillis();
        int stale = 0;
        for (int round = 0; round < ROUNDS; round++) {
            boolean admin = round % 2 == 0;
            AtomicBoolean judging = new AtomicBoolean(true);
            AtomicInteger judgements = new AtomicInteger();
            Thread racer = new Thread(() -> {
                while (judging.get()) {
                    judge.judge(caller, token);
                    judgements.incrementAndGet();
                }
            });
            racer.start();
            while (judgements.get() < 3) {
                Thread.onSpinWait();
            }
            state.apply(new ClaimsChange("racer", ++eventMillis,
                    Map.of("realm_access", Map.of("roles", admin ? List.of("platform-admin") : List.of()))));
            judging.set(false);
            racer.join();
            if (judge.judge(caller, token).principal().platformAdmin() != admin) {
                stale++;
            }
        }
        System.out.println("[keygate-freshness] " + ROUNDS + " changes applied while the same token was being judged: "
                + stale + " later judgements missed the newest change");
        assertEquals(0, stale, "judgements after a quiet feed that did not reflect the newest change");
    }
}
