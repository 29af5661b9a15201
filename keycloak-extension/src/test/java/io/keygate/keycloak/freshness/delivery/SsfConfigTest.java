package io.keygate.keycloak.freshness.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.Config;

class SsfConfigTest {

    private static final String PREFIX = "keygate.test.ssf.";

    @AfterEach
    void clear() {
        for (String key : new String[] {SsfConfig.LONG_POLL_SECONDS, SsfConfig.RECEIVER_CLIENTS, SsfConfig.RETENTION_HOURS}) {
            System.clearProperty(PREFIX + key);
        }
    }

    @Test
    void defaultsMatchTheContract() {
        SsfConfig config = SsfConfig.from(new Config.SystemPropertiesScope(PREFIX));
        assertEquals(20_000, config.longPollMillis());
        assertEquals(150, config.recheckMillis());
        assertEquals(100, config.sequencerMillis());
        assertEquals(2000, config.settleMillis());
        assertEquals(24L * 3_600_000L, config.retentionMillis());
        assertEquals(Set.of("keygate-gateway"), config.receiverClients());
    }

    @Test
    void receiverClientsAreACommaSeparatedList() {
        System.setProperty(PREFIX + SsfConfig.RECEIVER_CLIENTS, " gw-a , gw-b,,");
        assertEquals(Set.of("gw-a", "gw-b"), SsfConfig.from(new Config.SystemPropertiesScope(PREFIX)).receiverClients());
    }

    @Test
    void aNonPositiveBoundIsRefusedAtStartUp() {
        System.setProperty(PREFIX + SsfConfig.LONG_POLL_SECONDS, "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SsfConfig.from(new Config.SystemPropertiesScope(PREFIX)));
        assertEquals("keygate-ssf long-poll-seconds must be a positive number, got 0", e.getMessage());
    }
}
