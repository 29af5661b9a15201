package io.keygate.gateway.upstream;

import io.keygate.gateway.ApiModule;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.config.ConfigLoader;
import io.keygate.gateway.config.GatewayConfig;
import io.keygate.gateway.health.Metrics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A gateway in its own JVM for {@link StreamingMemoryTest} (started with {@code -Xmx256m}): the
 * API module with the inference proxy and one upstream route, both to {@code args[0]}, guarded by the
 * policy file {@code args[1]}, authentication off. Prints {@code PORT <n>}; answers a line
 * {@code peak} on stdin with {@code PEAK <bytes>}, the highest heap use seen after collections.
 */
public final class StreamingGatewayMain {

    private StreamingGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("keygate-streaming");
        String yaml = String.join("\n",
                "server:", "  host: 127.0.0.1", "  port: 0",
                "auth:", "  enabled: false",
                "audit:", "  sink: none",
                "storage:", "  jdbcUrl: jdbc:h2:file:" + dir.resolve("gw").toString().replace('\\', '/'),
                "inference:", "  upstreamUrl: " + args[0],
                "upstreams:", "  - prefix: /up", "    url: " + args[0], "    policy: " + args[1], "");
        GatewayConfig config = ConfigLoader.fromYaml(yaml, Map.of());
        ApiModule api = new ApiModule(ApiModule.settings(config), new Metrics());
        GatewayApp app = new GatewayApp(config, entry -> { }, List.of(api)).start("127.0.0.1", 0);
        System.out.println("PORT " + app.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("peak")) {
                System.out.println("PEAK " + peakHeapAfterCollections() + " MAX " + Runtime.getRuntime().maxMemory());
                System.out.flush();
            }
        }
        app.stop();
        api.close();
    }

    /** The most heap the JVM's collectors found live (collection usage peak, summed over heap pools). */
    private static long peakHeapAfterCollections() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
