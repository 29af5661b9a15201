package io.keygate.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keygate.gateway.Main;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability: 1000 resource writes from 4 clients against the gateway ({@link Main}, its own JVM,
 * auth off, H2 file) that is killed with SIGKILL ({@code destroyForcibly}) part-way; after a restart on the same H2 file, every write that was answered 2xx exists.
 */
class KillDurabilityTest {

    private static final int WRITES = 1000;
    private static final int KILL_AFTER = 400;
    private static final String WORKSPACE = "durable-ws";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
        String store = dir.resolve("gateway").toString();
        Process first = startGateway(store);
        int port = portOf(first);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            running.add(clients.submit(() -> write(port, next, acknowledged, first)));
        }
        for (Future<?> client : running) {
            client.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the gateway was killed");
        assertTrue(acknowledged.size() >= KILL_AFTER, "writes were acknowledged before the kill: " + acknowledged.size());
        assertTrue(next.get() < WRITES + 4, "the kill interrupted the run");
        System.out.printf("killed after %d acknowledged of %d attempted writes%n", acknowledged.size(), next.get());

        Process second = startGateway(store);
        try {
            int restartedPort = portOf(second);
            List<String> missing = new ArrayList<>();
            for (String name : acknowledged) {
                if (get(restartedPort, "/apis/entities/v2/workspaces/" + WORKSPACE + "/projects/" + name).statusCode() != 200) {
                    missing.add(name);
                }
            }
            assertEquals(List.of(), missing, "acknowledged writes lost after kill -9");
            String page = get(restartedPort, "/apis/entities/v2/workspaces/" + WORKSPACE + "/projects?page_size=1000").body();
            System.out.println("after restart: " + page.substring(page.indexOf("\"pagination\"")));
        } finally {
            second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void write(int port, AtomicInteger next, Set<String> acknowledged, Process gateway) {
        while (true) {
            int n = next.getAndIncrement();
            if (n >= WRITES) {
                return;
            }
            if (acknowledged.size() >= KILL_AFTER && gateway.isAlive()) {
                gateway.destroyForcibly();
            }
            String name = "p-" + n;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/apis/entities/v2/workspaces/" + WORKSPACE + "/projects"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\"}")).build();
                if (http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 201) {
                    acknowledged.add(name);
                }
            } catch (IOException e) {
                if (!gateway.isAlive()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The real {@code Main} in its own JVM, auth off, on the H2 file {@code store}, on a free port. */
    private Process startGateway(String store) throws IOException {
        port = freePort();
        Path config = dir.resolve("gateway-" + port + ".yaml");
        Files.writeString(config, "server:\n  host: 127.0.0.1\n  port: " + port + "\nauth:\n  enabled: false\n"
                + "audit:\n  sink: none\nstorage:\n  jdbcUrl: jdbc:h2:file:" + store + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway-" + port + ".log").toFile());
        builder.environment().remove("KEYGATE_CONFIG");
        return builder.start();
    }

    private int port;

    private int portOf(Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (get(port, "/healthz").statusCode() == 200) {
                    return port;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("gateway did not start; see " + dir.resolve("gateway-" + port + ".log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
