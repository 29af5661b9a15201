package io.keygate.bench;

import io.keygate.gateway.GatewayApp;
import io.keygate.gateway.auth.RequestAuthorizer;
import io.keygate.gateway.config.ConfigLoader;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request security path exactly as the before-handler runs it (token verification,
 * principal from claims, policy decision), without HTTP. One thread, so the numbers are per core.
 * <ul>
 *   <li>{@code distinctTokens}: every call carries an RS256 token the gateway has not verified
 *       before (verified-token cache off): full signature and claims verification.</li>
 *   <li>{@code seenToken}: the same token again (verified-token cache on): the steady state of
 *       a client reusing its access token.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
@Threads(1)
@State(Scope.Thread)
public class RequestPathBenchmark {

    private static final String PATH = "/apis/models/v2/workspaces/ml-team/models/llama-3";

    @Param({"2048"})
    public int distinct;

    private LocalIssuer issuer;
    private RequestAuthorizer uncached;
    private RequestAuthorizer cached;
    private String[] headers;
    private String seenHeader;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        issuer = new LocalIssuer();
        uncached = GatewayApp.authorizer(ConfigLoader.fromYaml(issuer.configYaml(0), Map.of()));
        cached = GatewayApp.authorizer(ConfigLoader.fromYaml(issuer.configYaml(10_000), Map.of()));
        headers = new String[distinct];
        for (int i = 0; i < distinct; i++) {
            headers[i] = "Bearer " + issuer.token(i);
        }
        seenHeader = headers[0];
        if (uncached.authorize("GET", PATH, seenHeader, null).principal() == null
                || cached.authorize("PATCH", PATH, seenHeader, null).decision() == null) {
            throw new IllegalStateException("setup: token not accepted");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        uncached.close();
        cached.close();
        issuer.close();
    }

    @Benchmark
    public Object distinctTokens() {
        String header = headers[next];
        next = next + 1 == headers.length ? 0 : next + 1;
        return uncached.authorize("GET", PATH, header, null);
    }

    @Benchmark
    public Object seenToken() {
        return cached.authorize("GET", PATH, seenHeader, null);
    }
}
