package io.keygate.it.support;

import io.keygate.core.KeygateClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One real Keycloak 26.7.3 from the Maven Central distribution zip, with the freshly built keygate
 * extension in {@code providers/}, the dev realm imported and realm-config's {@code keycloak.conf}
 * as its {@code conf/keycloak.conf} (as {@code ./setup.sh} runs it). Started without Docker, on free
 * loopback ports, in its own temporary directory; readiness is polled, never slept for.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "keygate";
    public static final String DEV_PASSWORD = "dev-password";
    public static final String CLI_CLIENT = KeygateClients.CLI_CLIENT;
    public static final String GATEWAY_CLIENT = KeygateClients.GATEWAY_CLIENT;
    public static final String GATEWAY_SECRET = "keygate-gateway-dev-secret";
    public static final String AUDIENCE = KeygateClients.API_AUDIENCE;

    /**
     * A failure bound, not a speed check: on the shared 2-core build machine under load a dev-mode
     * start took just over 6 min, and a production-mode cluster node's first start (schema
     * creation and realm import on PostgreSQL) more than 10 min.
     */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(20);

    private final Path home;
    private final int httpPort;
    private final int managementPort;
    private Process process;
    private final Path log;
    private final List<String> command;
    private final String frontendUrl;
    private final Http http = new Http();

    private KeycloakServer(Path home, int httpPort, int managementPort, Process process, Path log, List<String> command,
                           String frontendUrl) {
        this.command = command;
        this.home = home;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
        this.frontendUrl = frontendUrl;
    }

    /** Starts a server from the artifacts Maven resolved for this build (see integration-tests/pom.xml). */
    public static KeycloakServer startFromBuild() {
        return startFromBuild(List.of());
    }

    /** Like {@link #startFromBuild()}, with extra {@code kc.sh start-dev} options (e.g. another database). */
    public static KeycloakServer startFromBuild(List<String> options) {
        Path zip = Path.of(requiredProperty("keygate.keycloak.dist"));
        Path extension = Path.of(requiredProperty("keygate.extension.jar"));
        return start(zip, extension, options);
    }

    public static KeycloakServer start(Path distributionZip, Path extensionJar) {
        return start(distributionZip, extensionJar, List.of());
    }

    public static KeycloakServer start(Path distributionZip, Path extensionJar, List<String> options) {
        try {
            Path workDir = Files.createTempDirectory("keygate-it-keycloak-");
            Path home = unzip(distributionZip, workDir);
            Files.copy(extensionJar, home.resolve("providers").resolve("keygate-keycloak-extension.jar"));
            Path imports = Files.createDirectories(home.resolve("data").resolve("import"));
            try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keygate/keygate-realm.json")) {
                if (realm == null) {
                    throw new IllegalStateException("realm-config's keygate/keygate-realm.json is not on the test classpath");
                }
                Files.copy(realm, imports.resolve("keygate-realm.json"));
            }
            copyResource("/keygate/keycloak.conf", home.resolve("conf").resolve("keycloak.conf"));
            int httpPort = FreePorts.next();
            int managementPort = FreePorts.next();
            Path log = workDir.resolve("keycloak.log");
            System.out.println("[keygate-it] starting Keycloak in " + home + " on port " + httpPort + " (log: " + log + ")");
            List<String> command = devCommand(home, httpPort, managementPort, options);
            Process process = launch(home, command, log);
            KeycloakServer server = new KeycloakServer(home, httpPort, managementPort, process, log, command, "http://localhost:" + httpPort);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts one node of a cluster from an installation already built for production mode
     * ({@code kc.sh build}): {@code kc.sh start --optimized} on the given ports, with
     * {@code frontendUrl} as its {@code hostname}, so every node issues tokens with the same
     * {@code iss}; {@code options} add the database, cache and other settings.
     */
    public static KeycloakServer startNode(Path home, int httpPort, int managementPort, String frontendUrl, List<String> options, Path log) {
        List<String> command = new ArrayList<>(List.of(
                home.resolve("bin").resolve("kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true",
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--hostname=" + frontendUrl,
                "--hostname-backchannel-dynamic=true"));
        command.addAll(options);
        System.out.println("[keygate-it] starting Keycloak node in " + home + " on port " + httpPort + " (log: " + log + ")");
        try {
            KeycloakServer server = new KeycloakServer(home, httpPort, managementPort, launch(home, command, log), log, List.copyOf(command),
                    frontendUrl);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks the distribution zip into {@code target} and returns the Keycloak home in it. */
    public static Path unpack(Path distributionZip, Path target) {
        try {
            return unzip(distributionZip, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies realm-config's {@code keycloak.conf} and dev realm, and the extension jar, into {@code home}. */
    public static void install(Path home, Path extensionJar) {
        try {
            Files.copy(extensionJar, home.resolve("providers").resolve("keygate-keycloak-extension.jar"), StandardCopyOption.REPLACE_EXISTING);
            copyResource("/keygate/keygate-realm.json", Files.createDirectories(home.resolve("data").resolve("import")).resolve("keygate-realm.json"));
            copyResource("/keygate/keycloak.conf", home.resolve("conf").resolve("keycloak.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = KeycloakServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("realm-config's " + resource + " is not on the test classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Stops this server and starts it again on the same ports and data, so that changes to
     * {@link #conf()} take effect; returns once it is ready again.
     */
    public synchronized void restart() {
        stopProcess();
        System.out.println("[keygate-it] restarting Keycloak in " + home);
        try {
            process = launch(home, command, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    private static List<String> devCommand(Path home, int httpPort, int managementPort, List<String> options) {
        List<String> command = new ArrayList<>(List.of(
                home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--hostname=http://localhost:" + httpPort,
                "--health-enabled=true",
                "--import-realm"));
        command.addAll(options);
        return List.copyOf(command);
    }

    private static Process launch(Path home, List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        env.put("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx1g");
        return builder.start();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        String ready = "http://127.0.0.1:" + managementPort + "/health/ready";
        String realm = realmUrl() + "/.well-known/openid-configuration";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (answers200(ready) && answers200(realm)) {
                System.out.println("[keygate-it] Keycloak ready at " + baseUrl());
                return;
            }
            pause(Duration.ofMillis(500));
        }
        String tail = logTail();
        close();
        throw new IllegalStateException("Keycloak was not ready within " + STARTUP_TIMEOUT + ":\n" + tail);
    }

    private boolean answers200(String url) {
        try {
            return http.get(url, null).status() == 200;
        } catch (RuntimeException notYetListening) {
            return false;
        }
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    public String realm() {
        return REALM;
    }

    public String realmUrl() {
        return realmUrl(REALM);
    }

    public String realmUrl(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /** The exact {@code iss} of this realm's tokens: the frontend URL's realm (the same on every node of a cluster). */
    public String issuer() {
        return frontendUrl + "/realms/" + REALM;
    }

    /** This node's own JWKS endpoint (served by this node, whatever the frontend URL). */
    public String jwksUrl() {
        return realmUrl() + "/protocol/openid-connect/certs";
    }

    /** Base of the keygate extension's REST API in the dev realm. */
    public String keygateApi() {
        return realmUrl() + "/keygate";
    }

    public String adminApi() {
        return baseUrl() + "/admin/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return realmUrl() + "/protocol/openid-connect/token";
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return log;
    }

    /** This server's {@code conf/keycloak.conf} (read at start; see {@link #restart()}). */
    public Path conf() {
        return home.resolve("conf").resolve("keycloak.conf");
    }

    /** A fresh master-realm admin token for Keycloak's own admin REST API. */
    public String adminToken() {
        Http.Response response = http.postForm(baseUrl() + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"));
        return accessToken(response);
    }

    /** Access token for a dev-realm user through the CLI client's direct grant, with optional extra scopes. */
    public String passwordToken(String username, String password, String... scopes) {
        Http.Response response = http.postForm(tokenEndpoint(), Map.of(
                "grant_type", "password", "client_id", CLI_CLIENT, "username", username, "password", password,
                "scope", String.join(" ", Stream.concat(Stream.of("openid"), Stream.of(scopes)).toList())));
        return accessToken(response);
    }

    public String userToken(String username) {
        return passwordToken(username, DEV_PASSWORD);
    }

    /** The gateway's own client-credentials token (service account with platform-admin). */
    public String gatewayToken() {
        Http.Response response = http.postForm(tokenEndpoint(), Map.of(
                "grant_type", "client_credentials", "client_id", GATEWAY_CLIENT, "client_secret", GATEWAY_SECRET));
        return accessToken(response);
    }

    /** Creates an enabled dev-realm user with a verified email and password {@value #DEV_PASSWORD}; returns its id. */
    public String createUser(String email) {
        Map<String, Object> user = Map.of(
                "username", email, "email", email, "emailVerified", true, "enabled", true,
                "firstName", "Test", "lastName", "User",
                "credentials", List.of(Map.of("type", "password", "value", DEV_PASSWORD, "temporary", false)));
        Http.Response response = http.post(adminApi() + "/users", adminToken(), user);
        if (response.status() != 201) {
            throw new IllegalStateException("creating user " + email + " failed: " + response);
        }
        String location = response.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Creates a user with a unique email built from {@code prefix}; returns the email. */
    public String newUser(String prefix) {
        String email = unique(prefix) + "@example.com";
        createUser(email);
        return email;
    }

    /** A unique suffix for names, since all test classes share this server. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String accessToken(Http.Response response) {
        if (response.status() != 200) {
            throw new IllegalStateException("token request failed: " + response);
        }
        return response.json().get("access_token").asText();
    }

    /** The last 60 lines of this node's log (for a failure message). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stopProcess();
        deleteRecursively(home.getParent());
    }

    /**
     * User + system CPU seconds used so far by this node's processes ({@code kc.sh} and the Java process it
     * started; Linux {@code /proc/<pid>/stat}, 100 ticks a second), for a benchmark waiting until background
     * work has finished.
     */
    public synchronized double cpuSeconds() {
        double total = 0;
        for (ProcessHandle handle : Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + handle.pid() + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (IOException gone) {
                // the process ended between listing and reading: it uses no more CPU
            }
        }
        return total;
    }

    /**
     * Kills this node without any shutdown ({@code SIGKILL} to the Java process {@code kc.sh}
     * started, then to {@code kc.sh}), as a crash would; {@link #restart()} starts it again.
     */
    public synchronized void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("[keygate-it] killed (SIGKILL) Keycloak node on port " + httpPort);
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        Path home = null;
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry escapes the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                if (out.getFileName().toString().endsWith(".sh")) {
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                if (home == null) {
                    home = target.resolve(target.relativize(out).getName(0));
                }
            }
        }
        if (home == null) {
            throw new IOException("empty distribution zip: " + zip);
        }
        Files.createDirectories(home.resolve("providers"));
        return home;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover temp dir is harmless.
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven (mvn verify)");
        }
        return value;
    }
}
