package io.keygate.bench;

import io.javalin.http.HandlerType;
import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.web.RouteModule;
import io.keygate.gateway.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded loopback load test: starts the gateway on 127.0.0.1 in this JVM (run it with
 * {@code -Xmx256m}), then sends authenticated requests from a fixed number of client threads
 * for a fixed time or until a fixed number of requests, whichever comes first. Traffic mix:
 * 1,000 users reusing their tokens (allowed reads and writes, denied writes) plus a share of
 * never-seen tokens. Prints throughput, latency percentiles, status counts and peak heap.
 * <pre>java -Xmx256m -cp benchmarks/target/benchmarks.jar io.keygate.bench.LoopbackLoadTest [seconds] [threads] [maxRequests]</pre>
 */
public final class LoopbackLoadTest {

    private LoopbackLoadTest() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Math.min(Integer.parseInt(args[0]), 120) : 20;
        int threads = args.length > 1 ? Math.min(Integer.parseInt(args[1]), 64) : 16;
        long maxRequests = args.length > 2 ? Math.min(Long.parseLong(args[2]), 2_000_000) : 500_000;
        try (LocalIssuer issuer = new LocalIssuer()) {
            RouteModule resource = routes -> {
                for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST)) {
                    routes.addHttpHandler(method, "/apis/models/v2/workspaces/{workspace}/models", ctx -> ctx.json(Map.of(
                            "data", List.of(Map.of("name", "llama-3", "workspace", ctx.pathParam("workspace"))))));
                }
            };
            GatewayApp app = new GatewayApp(ConfigLoader.fromYaml(issuer.configYaml(10_000), Map.of()), List.of(resource))
                    .start("127.0.0.1", 0);
            String base = "http://127.0.0.1:" + app.port();
            String[] users = new String[1000];
            for (int i = 0; i < users.length; i++) {
                users[i] = issuer.token(i);
            }
            String[] fresh = new String[2000];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = issuer.token(10_000 + i);
            }
            System.out.printf("gateway on %s, %d client threads, %d s or %,d requests, max heap %d MB%n",
                    base, threads, seconds, maxRequests, Runtime.getRuntime().maxMemory() >> 20);
            run(base, users, fresh, threads, seconds, maxRequests);
            app.stop();
        }
    }

    private static void run(String base, String[] users, String[] fresh, int threads, int seconds, long maxRequests) throws Exception {
        ExecutorService clientExecutor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "load-client");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(clientExecutor).build();
        AtomicLong sent = new AtomicLong();
        AtomicInteger freshIndex = new AtomicInteger();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long[][] latencies = new long[threads][];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int id = t;
            pool.submit(() -> {
                long[] mine = new long[(int) Math.min(maxRequests, 4_000_000L / threads)];
                int n = 0;
                java.util.Random random = new java.util.Random(id);
                while (System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests && n < mine.length) {
                    int roll = random.nextInt(100);
                    String token;
                    if (roll < 2) {
                        token = fresh[freshIndex.getAndIncrement() % fresh.length];
                    } else {
                        token = users[random.nextInt(users.length)];
                    }
                    String workspace = roll < 80 ? "ml-team" : roll < 95 ? "default" : "system";
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/apis/models/v2/workspaces/" + workspace + "/models"))
                            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
                    if (roll >= 90) {
                        request.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m\"}"));
                    } else {
                        request.GET();
                    }
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    mine[n++] = System.nanoTime() - t0;
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                }
                latencies[id] = Arrays.copyOf(mine, n);
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        clientExecutor.shutdownNow();
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("requests: %,d in %.1f s = %,.0f requests/s%n", all.length, elapsed, all.length / elapsed);
        System.out.printf("latency ms: p50 %.2f, p90 %.2f, p99 %.2f, max %.2f%n", pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        System.out.println("statuses: " + statuses);
        long peakHeap = 0;
        for (MemoryPoolMXBean pool2 : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool2.getType() == MemoryType.HEAP) {
                peakHeap += pool2.getPeakUsage().getUsed();
            }
        }
        System.out.printf("heap: max %d MB, peak used (sum of pool peaks) %d MB, used after run %d MB; GC count %d%n",
                Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionCount())).sum());
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))] / 1e6;
    }
}
