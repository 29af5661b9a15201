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
final class GatewayProcess implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private final Process process;
    private final Path log;
    private final int port;
    private final Http http = new Http();

    private GatewayProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts a gateway process named {@code instance} on {@code jdbcUrl} and waits until it is ready.
     * {@code issuerExtra} is appended to the issuer entry (YAML, 4-space indent).
     */
    static GatewayProcess start(KeycloakServer keycloak, String jdbcUrl, String instance, String issuerExtra, Path dir) {
        int port = FreePorts.next();
        try {
            Path config = dir.resolve(instance + ".yaml");
            Files.writeString(config, yaml(keycloak, jdbcUrl, port, instance, issuerExtra));
            Path log = dir.resolve(instance + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "io.keygate.gateway.Main", config.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            GatewayProcess started = new GatewayProcess(process, log, port);
            started.awaitReady();
            System.out.println("[keygate-it] gateway process " + instance + " (pid " + process.pid() + ") ready on port " + port);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String yaml(KeycloakServer keycloak, String jdbcUrl, int port, String instance, String issuerExtra) {
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
                "issuers:",
                "  - name: keygate",
                "    issuer: " + keycloak.issuer(),
                "    discovery: " + keycloak.issuer() + "/.well-known/openid-configuration",
                "    audiences: [" + KeycloakServer.AUDIENCE + "]",
                issuerExtra);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway process exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.get(url("/readyz"), null).status() == 200) {
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

    long pid() {
        return process.pid();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    Http.Response get(String path, String token) {
        return http.get(url(path), token);
    }

    String logTail() {
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
