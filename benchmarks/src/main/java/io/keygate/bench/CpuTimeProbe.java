package io.keygate.bench;

import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.auth.RequestAuthorizer;
import io.keygate.gateway.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * Same work as {@link RequestPathBenchmark}, measured in thread CPU time instead of wall-clock
 * time, so that the "per core" figure stays meaningful on a shared, busy machine where a
 * benchmark thread does not get a whole core. Bounded: a fixed number of operations.
 * Run: {@code java -Xmx256m -cp benchmarks/target/benchmarks.jar io.keygate.bench.CpuTimeProbe}
 */
public final class CpuTimeProbe {

    private static final String PATH = "/apis/models/v2/workspaces/ml-team/models/llama-3";

    private CpuTimeProbe() {
    }

    public static void main(String[] args) throws Exception {
        int distinct = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (LocalIssuer issuer = new LocalIssuer()) {
            RequestAuthorizer uncached = GatewayApp.authorizer(ConfigLoader.fromYaml(issuer.configYaml(0), Map.of()));
            RequestAuthorizer cached = GatewayApp.authorizer(ConfigLoader.fromYaml(issuer.configYaml(10_000), Map.of()));
            String[] headers = new String[distinct];
            for (int i = 0; i < distinct; i++) {
                headers[i] = "Bearer " + issuer.token(i);
            }
            for (int round = 1; round <= 8; round++) {
                long c0 = cpu.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                for (int i = 0; i < distinct * 2; i++) {
                    uncached.authorize("GET", PATH, headers[i % distinct], null);
                }
                report("distinct RS256 tokens", round, distinct * 2, cpu.getCurrentThreadCpuTime() - c0, System.nanoTime() - w0);
                int seen = 1_000_000;
                c0 = cpu.getCurrentThreadCpuTime();
                w0 = System.nanoTime();
                for (int i = 0; i < seen; i++) {
                    cached.authorize("GET", PATH, headers[0], null);
                }
                report("token already seen   ", round, seen, cpu.getCurrentThreadCpuTime() - c0, System.nanoTime() - w0);
            }
            uncached.close();
            cached.close();
        }
    }

    private static void report(String what, int round, int ops, long cpuNanos, long wallNanos) {
        System.out.printf("round %d %s: %,10.0f decisions per CPU-second (%,10.0f per wall-clock second)%n",
                round, what, ops * 1e9 / cpuNanos, ops * 1e9 / wallNanos);
    }
}
