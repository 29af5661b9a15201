package io.keygate.it.api;

import io.keygate.it.support.FreePorts;
import io.keygate.it.support.Http;
import io.keygate.it.support.KeycloakServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The gateway in a process of its own ({@code io.keygate.gateway.Main}, this JVM's class path),
 * configured as {@code ./setup.sh} configures it, with the realm's security events on: for
 * behaviour that only separate processes show (each its own memory, sharing only the store).
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private final Process process;
    private final Path log;
    private final int port;
    private final Http http = new Http();

    private final String instance;

    private GatewayProcess(Process process, Path log, int port, String instance) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.instance = instance;
    }

    /**
     * Starts a gateway process named {@code instance} on {@code jdbcUrl} and waits until it is ready.
     * {@code issuerExtra} is appended to the issuer entry (YAML, 4-space indent).
     */
    static GatewayProcess start(KeycloakServer keycloak, String jdbcUrl, String instance, String issuerExtra, Path dir) {
        GatewayProcess started = launch(keycloak, jdbcUrl, instance, "", issuerExtra, dir);
        started.awaitReady();
        return started;
    }

    /**
     * Starts a gateway process without waiting for it ({@link #awaitReady()} does). {@code settings} is
     * top-level YAML added to the configuration (e.g. a {@code cleanup:} block).
     */
    public static GatewayProcess launch(KeycloakServer keycloak, String jdbcUrl, String instance, String settings, String issuerExtra,
                                        Path dir) {
        int port = FreePorts.next();
        try {
            Path config = dir.resolve(instance + ".yaml");
            Files.writeString(config, yaml(keycloak, jdbcUrl, port, instance, settings, issuerExtra));
            Path log = dir.resolve(instance + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "io.keygate.gateway.Main", config.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new GatewayProcess(process, log, port, instance);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String yaml(KeycloakServer keycloak, String jdbcUrl, int port, String instance, String settings, String issuerExtra) {
        return String.join("\n",
                "server:",
                "  host: 127.0.0.1",
                "  port: " + port,
                "keycloak:",
                "  url: " + keycloak.baseUrl(),
                "  realm: " + keycloak.realm(),
                "  clientId: " + KeycloakServer.GATEWAY_CLIENT,
                "  clientSecret: " + KeycloakServer.GATEWAY_SECRET,
                "storage:",
                "  jdbcUrl: \"" + jdbcUrl + "\"",
                "audit:",
                "  sink: none",
                "freshness:",
                "  instanceId: " + instance,
                settings,
                "issuers:",
                "  - name: keygate",
                "    issuer: " + keycloak.issuer(),
                "    discovery: " + keycloak.issuer() + "/.well-known/openid-configuration",
                "    audiences: [" + KeycloakServer.AUDIENCE + "]",
                issuerExtra);
    }

    /** Waits until {@code /readyz} answers 200; fails with the log's tail when the process exits or is not ready in time. */
    public void awaitReady() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway process exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.get(url("/readyz"), null).status() == 200) {
                    System.out.println("[keygate-it] gateway process " + instance + " (pid " + process.pid() + ") ready on port " + port);
                    return;
                }
            } catch (RuntimeException notYetListening) {
                // connection refused until the server socket is open
            }
            sleep();
        }
        close();
        throw new IllegalStateException("gateway process not ready within " + READY_WITHIN + ":\n" + logTail());
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public Http.Response get(String path, String token) {
        return http.get(url(path), token);
    }

    public Http.Response post(String path, String token, Object body) {
        return http.post(url(path), token, body);
    }

    public Http.Response delete(String path, String token) {
        return http.delete(url(path), token);
    }

    /** {@code kill -9}: the process gets no chance to finish or release anything. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
