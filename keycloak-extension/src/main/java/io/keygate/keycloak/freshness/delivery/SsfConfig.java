package io.keygate.keycloak.freshness.delivery;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.Config;

/**
 * Transmitter settings ({@code spi-realm-restapi-extension--keygate-ssf--<key>}).
 *
 * @param longPollMillis   longest time a poll with no pending SET is held ({@code long-poll-seconds}, default 20)
 * @param recheckMillis    how often a held poll re-reads the database for SETs of other nodes ({@code recheck-millis}, 150)
 * @param sequencerMillis  how often each node sequences committed rows it was not told about ({@code sequencer-millis}, 100)
 * @param settleMillis     age after which such a row is sequenced even though no local commit reported it ({@code settle-millis}, 2000)
 * @param retentionMillis  longest time a SET or an unpolled stream is kept ({@code retention-hours}, 24)
 * @param receiverClients  client ids allowed to create and poll streams ({@code receiver-clients}, {@code keygate-gateway})
 */
public record SsfConfig(long longPollMillis, long recheckMillis, long sequencerMillis, long settleMillis, long retentionMillis,
                        Set<String> receiverClients) {

    public static final String LONG_POLL_SECONDS = "long-poll-seconds";
    public static final String RECHECK_MILLIS = "recheck-millis";
    public static final String SEQUENCER_MILLIS = "sequencer-millis";
    public static final String SETTLE_MILLIS = "settle-millis";
    public static final String RETENTION_HOURS = "retention-hours";
    public static final String RECEIVER_CLIENTS = "receiver-clients";
    public static final String DEFAULT_RECEIVER = "keygate-gateway";

    public static SsfConfig from(Config.Scope scope) {
        return new SsfConfig(
                positive(scope.getLong(LONG_POLL_SECONDS, 20L), LONG_POLL_SECONDS) * 1000L,
                positive(scope.getLong(RECHECK_MILLIS, 150L), RECHECK_MILLIS),
                positive(scope.getLong(SEQUENCER_MILLIS, 100L), SEQUENCER_MILLIS),
                positive(scope.getLong(SETTLE_MILLIS, 2000L), SETTLE_MILLIS),
                positive(scope.getLong(RETENTION_HOURS, 24L), RETENTION_HOURS) * 3_600_000L,
                Arrays.stream(scope.get(RECEIVER_CLIENTS, DEFAULT_RECEIVER).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()));
    }

    private static long positive(Long value, String key) {
        if (value == null || value <= 0) {
            throw new IllegalArgumentException("keygate-ssf " + key + " must be a positive number, got " + value);
        }
        return value;
    }
}
