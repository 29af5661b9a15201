package io.keygate.it.api;

import static io.keygate.it.support.Http.expect;

import io.keygate.it.support.KeycloakServer;
import io.keygate.it.support.RealKeycloak;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Revocation latency benchmark (issue 8; a measurement, not a test: it asserts nothing about time).
 * 200 member removals through the gateway's API against the real Keycloak and a gateway receiving its
 * events; for each, the time from the removal's acknowledgement (204) to the first refusal (403) of the
 * member's older token at the gateway. Prints p50 / p99 / max. Opt-in:
 * <pre>
 * mvn -B verify -pl integration-tests -am -Dtest=FreshnessLatencyBenchmarkIT -Dkeygate.bench=freshness
 * </pre>
 */
@RealKeycloak
@EnabledIfSystemProperty(named = "keygate.bench", matches = "freshness")
class FreshnessLatencyBenchmarkIT {

    private static final int REMOVALS = 200;
    /** Bound of one wait: the run stops by itself even if a removal never takes effect. */
    private static final long MAX_WAIT_NANOS = 10_000_000_000L;
    private static final String WORKSPACES = "/apis/entities/v2/workspaces";

    KeycloakServer keycloak;

    @Test
    void removalsToFirstRefusal() {
        try (GatewayUnderTest gateway = GatewayUnderTest.receiving(keycloak, FreshnessIT.tempDir(), KeycloakServer.unique("bench"),
                FreshnessIT.EVENTS)) {
            String owner = keycloak.newUser("bench-owner");
            String ownerToken = keycloak.userToken(owner);
            String ws = KeycloakServer.unique("bench");
            expect(201, gateway.post(WORKSPACES, ownerToken, Map.of("name", ws)));
            String projects = WORKSPACES + "/" + ws + "/projects";
            List<String[]> members = new ArrayList<>();
            for (int i = 0; i < REMOVALS; i++) {
                String member = keycloak.newUser("bench-member");
                expect(201, gateway.post(WORKSPACES + "/" + ws + "/members", ownerToken, Map.of("principal", member, "roles", List.of("Viewer"))));
                members.add(new String[] {member, keycloak.userToken(member)});
            }
            List<Long> micros = new ArrayList<>();
            for (String[] member : members) {
                expect(200, gateway.get(projects, member[1]));
                var removed = gateway.delete(WORKSPACES + "/" + ws + "/members/" + member[0], ownerToken);
                long acknowledged = System.nanoTime();
                expect(200, removed);
                long deadline = acknowledged + MAX_WAIT_NANOS;
                while (gateway.get(projects, member[1]).status() != 403) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("removal of " + member[0] + " not enforced within 10 s");
                    }
                    Thread.onSpinWait();
                }
                micros.add((System.nanoTime() - acknowledged) / 1000);
            }
            Collections.sort(micros);
            System.out.printf("[keygate-bench] freshness: %d removals, acknowledgement -> first refusal at the gateway: "
                            + "p50 %.1f ms, p99 %.1f ms, max %.1f ms (min %.1f ms)%n", micros.size(), at(micros, 0.50), at(micros, 0.99),
                    micros.get(micros.size() - 1) / 1000.0, micros.get(0) / 1000.0);
        }
    }

    private static double at(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }
}
