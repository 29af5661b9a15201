package io.keygate.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} keeps every series it exposed before the move to Prometheus' Java client
 * (the list in {@code keygate/metric-series-before.txt} was scraped from the hand-written
 * exposition), and adds JVM, Jetty thread pool, connection pool and authorization-time series.
 * A series is identified by its name and its label names; {@code le} and {@code decision} also by value.
 */
class MetricSeriesTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? .*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Set<String> VALUE_LABELS = Set.of("le", "decision");

    @TempDir
    Path dir;

    @Test
    void everyEarlierSeriesIsStillExposedPlusTheNewOnes() throws IOException {
        Set<String> now;
        try (LocalGateway gateway = new LocalGateway(new ApiSettings(StoreConfig.h2File(dir.resolve("m").toString()), "", null,
                null, InferenceConfig.none(), false))) {
            gateway.send("GET", "/apis/entities/v2/workspaces/metrics-ws/projects", null);
            gateway.send("GET", "/apis/entities/v2/workspaces/metrics-ws/projects/none", null);
            gateway.module.metrics().recordDecision(false);
            LocalGateway.Reply scrape = gateway.send("GET", "/metrics", null);
            assertEquals(200, scrape.status());
            now = series(scrape.body());
        }
        Files.write(Path.of("target", "metric-series-now.txt"), now);
        Set<String> before = new TreeSet<>(resourceLines("/keygate/metric-series-before.txt"));
        assertTrue(before.size() >= 18, "the earlier list is not empty: " + before);
        Set<String> missing = new TreeSet<>(before);
        missing.removeAll(now);
        System.out.println("[keygate-test] /metrics series before: " + before.size() + ", now: " + now.size()
                + ", missing: " + missing);
        assertEquals(Set.of(), missing, "series that /metrics no longer exposes");
        for (String added : List.of("keygate_authorization_seconds_bucket{le", "jvm_memory_used_bytes{area}",
                "jvm_threads_current", "jetty_threads_busy", "jetty_threads_config_max", "keygate_store_connections_active",
                "keygate_store_connections_max", "keygate_store_connections_pending")) {
            assertTrue(now.stream().anyMatch(series -> series.startsWith(added)), "new series " + added + " in " + now);
        }
    }

    /** The series of an exposition text: {@code name{label,label=value,...}}, comments skipped. */
    static Set<String> series(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                labels.add(VALUE_LABELS.contains(label.group(1)) ? label.group(1) + "=" + normalized(label.group(1), label.group(2))
                        : label.group(1));
            }
            labels.sort(null);
            out.add(labels.isEmpty() ? sample.group(1) : sample.group(1) + "{" + String.join(",", labels) + "}");
        }
        return out;
    }

    /** Bucket bounds compared as numbers: "1" and "1.0" are the same bucket. */
    private static String normalized(String name, String value) {
        if (!name.equals("le") || value.equals("+Inf")) {
            return value;
        }
        return new java.math.BigDecimal(value).stripTrailingZeros().toPlainString();
    }

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = MetricSeriesTest.class.getResourceAsStream(name)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
