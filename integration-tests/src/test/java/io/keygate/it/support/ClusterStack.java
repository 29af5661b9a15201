package io.keygate.it.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keycloak past one machine, on one host: a real PostgreSQL server (zonky's embedded binaries,
 * no Docker) and two Keycloak 26.7.3 nodes in production mode ({@code kc.sh build} once with
 * {@code db=postgres}, {@code cache=ispn}, then {@code kc.sh start --optimized} twice), clustered
 * by Keycloak's own Infinispan with its default JGroups stack {@code jdbc-ping} (discovery through
 * the shared database, no multicast), each on its own HTTP, management and JGroups ports. Both
 * nodes have the URL of a {@link FrontendProxy} (the load balancer) as {@code hostname}, so a token
 * has the same {@code iss} whichever node minted it, and a gateway trusting that issuer reaches
 * the node the proxy routes to. The realm is imported once, by node A; node B starts after A is ready. A second
 * database, {@value #GATEWAY_DATABASE}, is there for the gateways.
 */
public final class ClusterStack implements AutoCloseable {

    public static final String KEYCLOAK_DATABASE = "keycloak";
    public static final String GATEWAY_DATABASE = "keygate";

    /** Infinispan's log line for a new cluster view, e.g. {@code ISPN000094: Received new cluster view for channel ISPN: [a|1] (2) [a, b]}. */
    private static final Pattern VIEW = Pattern.compile("ISPN000094[^\\[]*\\[[^]]*] \\((\\d+)\\)");
    private static final Duration VIEW_TIMEOUT = Duration.ofMinutes(3);

    private final EmbeddedPostgres postgres;
    private final FrontendProxy frontend;
    private final Path dir;
    private final KeycloakServer nodeA;
    private final KeycloakServer nodeB;

    private ClusterStack(EmbeddedPostgres postgres, FrontendProxy frontend, Path dir, KeycloakServer nodeA, KeycloakServer nodeB) {
        this.postgres = postgres;
        this.frontend = frontend;
        this.dir = dir;
        this.nodeA = nodeA;
        this.nodeB = nodeB;
    }

    /** Starts PostgreSQL and both nodes from the artifacts Maven resolved for this build; returns once both are one cluster. */
    public static ClusterStack startFromBuild() {
        Instant started = Instant.now();
        EmbeddedPostgres postgres = null;
        try {
            Path dir = Files.createTempDirectory("keygate-it-cluster-");
            postgres = EmbeddedPostgres.builder().setCleanDataDirectory(true).start();
            createDatabases(postgres);
            Path built = buildProductionInstall(dir);
            Path homeA = copy(built, dir.resolve("node-a"));
            Path homeB = copy(built, dir.resolve("node-b"));
            FrontendProxy frontend = new FrontendProxy(FreePorts.next());
            KeycloakServer a = KeycloakServer.startNode(homeA, FreePorts.next(), FreePorts.next(), frontend.url(),
                    nodeOptions(postgres, FreePorts.next(), true), dir.resolve("node-a.log"));
            frontend.routeTo(a.baseUrl());
            KeycloakServer b;
            try {
                b = KeycloakServer.startNode(homeB, FreePorts.next(), FreePorts.next(), frontend.url(),
                        nodeOptions(postgres, FreePorts.next(), false), dir.resolve("node-b.log"));
            } catch (RuntimeException e) {
                a.close();
                frontend.close();
                throw e;
            }
            ClusterStack stack = new ClusterStack(postgres, frontend, dir, a, b);
            stack.awaitClusterOf(2, a);
            stack.awaitClusterOf(2, b);
            System.out.println("[keygate-it] cluster of 2 Keycloak nodes on PostgreSQL port " + postgres.getPort() + " ready in "
                    + Duration.between(started, Instant.now()).toSeconds() + " s (node A " + a.baseUrl() + ", node B " + b.baseUrl() + ")");
            return stack;
        } catch (IOException e) {
            closeQuietly(postgres);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(postgres);
            throw e;
        }
    }

    private static void createDatabases(EmbeddedPostgres postgres) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + KEYCLOAK_DATABASE);
            statement.execute("CREATE DATABASE " + GATEWAY_DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("creating the databases failed", e);
        }
    }

    /** {@code kc.sh build} once, with the build options both nodes share (see docs/deployment.md). */
    private static Path buildProductionInstall(Path dir) throws IOException {
        Path home = KeycloakServer.unpack(Path.of(requiredProperty("keygate.keycloak.dist")), dir.resolve("built"));
        KeycloakServer.install(home, Path.of(requiredProperty("keygate.extension.jar")));
        Path log = dir.resolve("build.log");
        Instant started = Instant.now();
        Process build = new ProcessBuilder(home.resolve("bin").resolve("kc.sh").toString(), "build",
                "--db=postgres", "--cache=ispn", "--health-enabled=true", "--metrics-enabled=true")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
                build.destroyForcibly();
                throw new IllegalStateException("kc.sh build failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        System.out.println("[keygate-it] kc.sh build (db=postgres, cache=ispn) took " + Duration.between(started, Instant.now()).toSeconds() + " s");
        return home;
    }

    private static List<String> nodeOptions(EmbeddedPostgres postgres, int jgroupsPort, boolean importRealm) {
        List<String> options = new ArrayList<>(List.of(
                "--db-url=jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + KEYCLOAK_DATABASE,
                "--db-username=postgres",
                "--db-password=postgres",
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + jgroupsPort));
        if (importRealm) {
            options.add("--import-realm");
        }
        return options;
    }

    /** Waits until {@code node}'s log shows a cluster view of {@code members} members. */
    public void awaitClusterOf(int members, KeycloakServer node) {
        Instant deadline = Instant.now().plus(VIEW_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (lastViewSize(node) == members) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("no cluster view of " + members + " members in " + node.log() + " within " + VIEW_TIMEOUT
                + "; last view size " + lastViewSize(node) + "\n" + node.logTail());
    }

    /** Members in the last cluster view the node logged, 0 when none yet. */
    public static int lastViewSize(KeycloakServer node) {
        int size = 0;
        try (Stream<String> lines = Files.lines(node.log())) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher view = VIEW.matcher(line);
                if (view.find()) {
                    size = Integer.parseInt(view.group(1));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
        return size;
    }

    public KeycloakServer nodeA() {
        return nodeA;
    }

    public KeycloakServer nodeB() {
        return nodeB;
    }

    /** The load balancer both nodes name as their {@code hostname}; it routes to node A until told otherwise. */
    public FrontendProxy frontend() {
        return frontend;
    }

    /** The gateways' database on the cluster's PostgreSQL server. */
    public String gatewayJdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + GATEWAY_DATABASE + "?user=postgres&password=postgres";
    }

    /** Creates an empty database {@code name} on the cluster's PostgreSQL server; returns its JDBC URL (for gateways). */
    public String createDatabase(String name, String applicationName) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name + " failed", e);
        }
        return jdbcUrl(name, applicationName);
    }

    /** A JDBC URL of database {@code name} whose connections call themselves {@code applicationName} (PostgreSQL's application_name). */
    public String jdbcUrl(String name, String applicationName) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name + "?user=postgres&password=postgres&ApplicationName=" + applicationName;
    }

    public Map<String, String> summary() {
        return Map.of("nodeA", nodeA.baseUrl(), "nodeB", nodeB.baseUrl(), "postgresPort", String.valueOf(postgres.getPort()));
    }

    @Override
    public void close() {
        nodeB.close();
        nodeA.close();
        frontend.close();
        closeQuietly(postgres);
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover temp dir is harmless.
        }
    }

    private static Path copy(Path home, Path target) throws IOException {
        Path copied = target.resolve(home.getFileName());
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path out = copied.resolve(home.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(out);
                } else {
                    Files.copy(source, out, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copied;
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException ignored) {
            // The server is a child of this JVM and ends with it.
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
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
