package io.keygate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Side-by-side authorization overhead: two gateway processes from the same jar and the same
 * configuration except {@code auth.enabled}, an RS256 {@link LocalIssuer} on 127.0.0.1, and wrk
 * driving the same endpoint on each in alternating rounds. Prints, last, the median throughput
 * ratio (auth on / auth off) and p50/p99 of each, per traffic mix, then the p99 added at half of
 * the peak rate, measured with wrk paced by a {@code delay()} hook ({@link Wrk#paced}): evenly, at
 * random and in lockstep ({@link Pacing}).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.keygate.bench.AuthOverhead GATEWAY_JAR [seconds] [rounds] [connections] [jfrDir]</pre>
 *
 * Bounded: every wrk run lasts {@code seconds} (at most 30) and at most {@link #MAX_REQUESTS_PER_RUN}
 * requests; at most {@value #MAX_ROUNDS} rounds; everything goes to 127.0.0.1 only; the gateways are stopped at the end.
 */
public final class AuthOverhead {

    static final long MAX_REQUESTS_PER_RUN = 1_000_000;
    static final int MAX_ROUNDS = 15;
    private static final int WRK_THREADS = 2;
    private static final int REUSED_TOKENS = 64;
    /** Never-seen tokens minted per second of a run: 2 % of 40,000 requests a second, twice what this jar serves here. */
    private static final int NEW_TOKENS_PER_SECOND = 800;
    /** Never-seen tokens for the warm-up of the "new" mix: a warm-up may end early, it is not measured. */
    private static final int NEW_TOKENS_WARM_UP = 2_000;
    /** Requests of the warm-up of the never-seen-token path, each with its own token (see {@link #warmUp}). */
    private static final int PATH_WARM_UP_TOKENS = 20_000;
    /** At most this long: a cold auth-on gateway got through 9,941 of them in 10 s (2026-12-02 15:59). */
    private static final int PATH_WARM_UP_SECONDS = 20;
    /** Seconds of a warm-up run of a mix on each gateway before its measured rounds. */
    private static final int WARM_UP_SECONDS = 10;
    /**
     * The reused-token warm-up repeats until neither side's rate moved by more than {@link #STEADY_CHANGE} since its
     * previous run, at most this many runs a side: on 2 cores the JIT compiles Jetty's parser while it serves, and a
     * fixed 10 s left both sides ramping (1,000 → 9,000 req/s over the measured rounds, 2026-12-02 12:27), the
     * auth-on side, with more code to compile, the later.
     */
    private static final int MAX_WARM_UP_RUNS = 12;
    private static final double STEADY_CHANGE = 0.05;
    private static final double IDLE_CORES = 0.05;
    private static final int IDLE_SAMPLE_MILLIS = 500;
    private static final int MAX_IDLE_WAIT_SECONDS = 60;
    /** Paced runs at half of the peak rate, alternating sides; the median p99 of each side is reported. */
    private static final int PACED_TRIES = 7;
    /** The traffic mixes, all three unless {@code KEYGATE_BENCH_MIXES} names some (comma-separated), e.g. for a profile of one. */
    private static final List<String> MIXES = mixes(System.getenv("KEYGATE_BENCH_MIXES"));
    private static final Pattern LATENCY = Pattern.compile("(?m)^KG-LATENCY ?(.*)$");
    private static final Pattern RESULT = Pattern.compile(
            "KG-RESULT requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+) errors_status=(\\d+) errors_socket=(\\d+)"
                    + " stopped_early=(\\d+)");

    /**
     * One wrk run's figures, plus the CPU time the gateway process used during it: on a shared
     * machine wall-clock throughput depends on what else runs, CPU time per request much less.
     */
    record Run(long requests, double seconds, double p50Ms, double p99Ms, long errors, double gatewayCpuSeconds, int stoppedEarly,
               Map<Long, Long> latencyMicros) {
        double throughput() {
            return requests / seconds;
        }

        /** Requests per CPU-second of the gateway process. */
        double perCpuSecond() {
            return requests / Math.max(gatewayCpuSeconds, 0.01);
        }
    }

    private AuthOverhead() {
    }

    static List<String> mixes(String named) {
        List<String> all = List.of("reused", "new", "rw");
        if (named == null || named.isBlank()) {
            return all;
        }
        List<String> chosen = java.util.Arrays.stream(named.split(",")).map(String::trim).toList();
        if (!chosen.contains("reused") || !all.containsAll(chosen)) {
            throw new IllegalArgumentException("KEYGATE_BENCH_MIXES must list 'reused' and only " + all + ": " + named);
        }
        return chosen;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: AuthOverhead GATEWAY_JAR [seconds=8] [rounds=3] [connections=32] [jfrDir]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        int seconds = args.length > 1 ? Math.min(Integer.parseInt(args[1]), 30) : 8;
        int rounds = args.length > 2 ? Math.min(Integer.parseInt(args[2]), MAX_ROUNDS) : 3;
        int connections = args.length > 3 ? Math.min(Integer.parseInt(args[3]), 128) : 32;
        Path jfr = args.length > 4 ? Path.of(args[4]) : null;
        Path work = Files.createTempDirectory("keygate-auth-overhead");
        System.out.printf("[bench] %s, jar %s, %d s per run, %d rounds, %d connections, %s, load avg %.1f%n", Instant.now(), jar,
                seconds, rounds, connections, Cpus.describe(), loadAverage());
        try (LocalIssuer issuer = new LocalIssuer()) {
            FreshTokens freshTokens = new FreshTokens(NEW_TOKENS_PER_SECOND * seconds, rounds);
            Path reused = writeTokens(work.resolve("reused.txt"), issuer, 0, REUSED_TOKENS);
            Path fresh = writeTokens(work.resolve("new.txt"), issuer, 100_000, freshTokens.total());
            Path lua = Files.writeString(work.resolve("auth-mix.lua"), resource("/wrk/auth-mix.lua"));
            try (GatewayProcess on = GatewayProcess.start(jar, work.resolve("on"), issuer, true, jfr);
                 GatewayProcess off = GatewayProcess.start(jar, work.resolve("off"), issuer, false, jfr)) {
                String seed = issuer.token(1);
                on.createModel("llama-3", seed);
                off.createModel("llama-3", seed);
                Map<String, List<Run>> onRuns = new LinkedHashMap<>();
                Map<String, List<Run>> offRuns = new LinkedHashMap<>();
                Wrk wrk = new Wrk(lua, reused, fresh, connections);
                HalfPeak halfPeak = null;
                for (String mix : MIXES) {
                    warmUp(wrk, mix, on, off, freshTokens);
                    for (int round = 1; round <= rounds; round++) {
                        measureRound(wrk, mix, round, seconds, on, off, freshTokens, onRuns, offRuns);
                    }
                    if (mix.equals("reused")) {
                        // right after the reused rounds, before other traffic changes what the JIT compiled
                        halfPeak = atHalfPeak(wrk, work, offRuns.get("reused"), on, off, seconds, connections);
                    }
                }
                printSummary(onRuns, offRuns, halfPeak.rate(), halfPeak.runs());
                System.out.println("[bench] " + halfPeak.serverSide());
            }
        } finally {
            deleteTree(work);
        }
    }

    /** The paced runs at half of the peak: the rate, per pacing [0] auth on and [1] auth off, the server-side p99s. */
    record HalfPeak(int rate, Map<Pacing, List<List<Run>>> runs, String serverSide) {
    }

    /** Paced runs of every {@link Pacing} at half the median auth-off reused rate. */
    private static HalfPeak atHalfPeak(Wrk wrk, Path work, List<Run> offReused, GatewayProcess on, GatewayProcess off, int seconds,
                                       int connections) throws IOException, InterruptedException {
        int rate = (int) Math.max(100, median(offReused.stream().mapToDouble(Run::throughput).toArray()) / 2);
        Map<Double, Long> onBefore = on.authorizationBuckets();
        Map<Double, Long> offBefore = off.authorizationBuckets();
        Map<Pacing, List<List<Run>>> runs = new LinkedHashMap<>();
        for (Pacing pacing : Pacing.values()) {
            runs.put(pacing, pacedRuns(wrk.paced(work.resolve("auth-mix-" + pacing.tag + ".lua"), rate, pacing), on, off, seconds, rate,
                    connections));
        }
        String serverSide = String.format("p99 of keygate_authorization_seconds during the paced runs: on <= %s, off <= %s",
                p99Bound(onBefore, on.authorizationBuckets()), p99Bound(offBefore, off.authorizationBuckets()));
        return new HalfPeak(rate, runs, serverSide);
    }

    /**
     * Where each use of never-seen tokens reads them in the token file: the measured rounds first
     * ({@code perRound} each), then the warm-up of the {@code new} mix, then the warm-up of the path
     * they take. Both gateways read the same lines: each has its own cache, so a line is new to each.
     */
    record FreshTokens(int perRound, int rounds) {
        int roundOffset(int round) {
            return (round - 1) * perRound;
        }

        int mixWarmUpOffset() {
            return perRound * rounds;
        }

        int pathWarmUpOffset() {
            return mixWarmUpOffset() + NEW_TOKENS_WARM_UP;
        }

        int total() {
            return pathWarmUpOffset() + PATH_WARM_UP_TOKENS;
        }
    }

    /**
     * Brings both gateways to the steady state of one mix before its rounds: {@code reused} until
     * steady ({@link #warmUpUntilSteady}); {@code new} first with {@value #PATH_WARM_UP_TOKENS}
     * requests that each carry a never-seen token (at 2 % of the traffic the verification path runs
     * 200 times a second, and C2 compiles a method after 5,000 to 15,000 calls: up to a minute and
     * more of the mix), then {@value #WARM_UP_SECONDS} s of the mix; {@code rw} {@value #WARM_UP_SECONDS}
     * s of the mix. Each ends when both gateways are idle (the JIT's queue done).
     */
    private static void warmUp(Wrk wrk, String mix, GatewayProcess on, GatewayProcess off, FreshTokens fresh)
            throws IOException, InterruptedException {
        if (mix.equals("reused")) {
            warmUpUntilSteady(wrk, on, off);
            return;
        }
        if (mix.equals("new")) {
            for (GatewayProcess side : List.of(on, off)) {
                Run run = wrk.run(side, "fresh", PATH_WARM_UP_SECONDS, "warm-" + side.label() + "-fresh", fresh.pathWarmUpOffset(), PATH_WARM_UP_TOKENS);
                System.out.printf("[bench] warm-up of the never-seen-token path (%s): %,d requests, each with a new token%n", side.label(),
                        run.requests());
            }
        }
        for (GatewayProcess side : List.of(on, off)) {
            wrk.run(side, mix, WARM_UP_SECONDS, "warm-" + side.label() + "-" + mix, fresh.mixWarmUpOffset(), NEW_TOKENS_WARM_UP);
        }
        System.out.printf("[bench] warm-up: %d s of %s on each gateway, then %.1f s until both idle%n", WARM_UP_SECONDS, mix,
                awaitIdle(on, off));
    }

    /** One round of one mix: a run on each side, the side that goes first alternating between rounds. */
    private static void measureRound(Wrk wrk, String mix, int round, int seconds, GatewayProcess on, GatewayProcess off, FreshTokens fresh,
                                     Map<String, List<Run>> onRuns, Map<String, List<Run>> offRuns) throws IOException, InterruptedException {
        // alternate which side goes first, so drift in machine load hits both alike
        boolean onFirst = round % 2 == 1;
        GatewayProcess first = onFirst ? on : off;
        GatewayProcess second = onFirst ? off : on;
        int offset = fresh.roundOffset(round);
        Run a = wrk.measure(first, mix, seconds, "r" + round + "-" + first.label() + "-" + mix, offset, fresh.perRound());
        Run b = wrk.measure(second, mix, seconds, "r" + round + "-" + second.label() + "-" + mix, offset, fresh.perRound());
        Run onRun = onFirst ? a : b;
        Run offRun = onFirst ? b : a;
        onRuns.computeIfAbsent(mix, m -> new ArrayList<>()).add(onRun);
        offRuns.computeIfAbsent(mix, m -> new ArrayList<>()).add(offRun);
        System.out.printf("[bench] round %d %-6s on %,7.0f req/s %,7.0f/cpu-s (p50 %.2f p99 %.2f ms, %d errors) | "
                        + "off %,7.0f req/s %,7.0f/cpu-s (p50 %.2f p99 %.2f ms, %d errors) | ratio %.3f, per cpu-s %.3f | load %.1f | %s%n",
                round, mix, onRun.throughput(), onRun.perCpuSecond(), onRun.p50Ms(), onRun.p99Ms(), onRun.errors(),
                offRun.throughput(), offRun.perCpuSecond(), offRun.p50Ms(), offRun.p99Ms(), offRun.errors(),
                onRun.throughput() / offRun.throughput(), onRun.perCpuSecond() / offRun.perCpuSecond(), loadAverage(),
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** Reused-token runs on both sides, alternating, until both rates are steady ({@link #MAX_WARM_UP_RUNS}). */
    private static void warmUpUntilSteady(Wrk wrk, GatewayProcess on, GatewayProcess off) throws IOException, InterruptedException {
        double lastOn = 0;
        double lastOff = 0;
        for (int i = 1; i <= MAX_WARM_UP_RUNS; i++) {
            double rateOn = wrk.run(on, "reused", WARM_UP_SECONDS, "steady-on-" + i, 0, 0).throughput();
            double rateOff = wrk.run(off, "reused", WARM_UP_SECONDS, "steady-off-" + i, 0, 0).throughput();
            double compiling = awaitIdle(on, off);
            boolean steady = i > 1 && Math.abs(rateOn / lastOn - 1) <= STEADY_CHANGE && Math.abs(rateOff / lastOff - 1) <= STEADY_CHANGE;
            System.out.printf("[bench] warm-up %d of at most %d (reused, %d s a side): on %,.0f req/s, off %,.0f req/s, then %.1f s until both"
                            + " idle%s%n", i, MAX_WARM_UP_RUNS, WARM_UP_SECONDS, rateOn, rateOff, compiling, steady ? ": steady" : "");
            if (steady) {
                return;
            }
            lastOn = rateOn;
            lastOff = rateOff;
        }
        System.out.printf("[bench] warm-up: not steady after %d runs a side; measuring anyway%n", MAX_WARM_UP_RUNS);
    }

    /**
     * Waits, after a load run, until both gateways use under {@link #IDLE_CORES} of a core for a second (at most
     * {@link #MAX_IDLE_WAIT_SECONDS}); returns the seconds waited. Under load the JIT's one C2 thread on this machine gets
     * a small share of 2 cores, and its queue is still full when the load stops; given the CPU it finishes in seconds.
     */
    static double awaitIdle(GatewayProcess... gateways) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(MAX_IDLE_WAIT_SECONDS);
        double[] before = new double[gateways.length];
        int quietSamples = 0;
        while (System.nanoTime() < deadline && quietSamples * IDLE_SAMPLE_MILLIS < 1000) {
            for (int i = 0; i < gateways.length; i++) {
                before[i] = gateways[i].cpuSeconds();
            }
            Thread.sleep(IDLE_SAMPLE_MILLIS);
            boolean quiet = true;
            for (int i = 0; i < gateways.length; i++) {
                quiet &= gateways[i].cpuSeconds() - before[i] < IDLE_CORES * IDLE_SAMPLE_MILLIS / 1000.0;
            }
            quietSamples = quiet ? quietSamples + 1 : 0;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * How the paced runs space the requests. {@code EVEN}: each wrk thread sends on a fixed schedule at the
     * rate, evenly spaced (as wrk2 paces; {@code wrk/pacing-even.lua}), the measure of the p99 bar.
     * {@code RANDOM}: each connection waits an exponentially distributed time with the mean of
     * {@code connections / rate}, so arrivals are a Poisson stream at about the rate, the usual model of
     * independent clients. {@code LOCKSTEP}: a fixed wait after each response, so the connections,
     * started together, keep sending in bursts of {@code connections} requests at once: a queue of that
     * length at every tick whatever the mean rate, which measures a burst, not a rate (kept for comparison
     * with the runs before 2026-12-02 15:00).
     */
    enum Pacing {
        EVEN("even"), RANDOM("random"), LOCKSTEP("lockstep");

        final String tag;

        Pacing(String tag) {
            this.tag = tag;
        }
    }

    /** One paced run per side not counted, then {@value #PACED_TRIES} per side, alternating which goes first; [0] auth on, [1] auth off. */
    private static List<List<Run>> pacedRuns(Wrk paced, GatewayProcess on, GatewayProcess off, int seconds, int rate, int connections)
            throws IOException, InterruptedException {
        // the first paced run after saturating ones had a p99 of 16-20 ms on both sides (2026-12-02 15:09 and 15:29), 3x the rest
        Run warmOn = paced.run(on, "reused", seconds, "paced-" + paced.pacing().tag + "-warm-on", 0, 0);
        Run warmOff = paced.run(off, "reused", seconds, "paced-" + paced.pacing().tag + "-warm-off", 0, 0);
        System.out.printf("[bench] paced (%s) warm-up, not counted: p99 on %.3f / off %.3f ms%n", paced.pacing().tag, warmOn.p99Ms(),
                warmOff.p99Ms());
        List<Run> pacedOn = new ArrayList<>();
        List<Run> pacedOff = new ArrayList<>();
        for (int i = 1; i <= PACED_TRIES; i++) {
            boolean onFirst = i % 2 == 1;
            String tag = "paced-" + paced.pacing().tag + "-" + i;
            Run a = paced.measure(onFirst ? on : off, "reused", seconds, tag + "-a", 0, 0);
            Run b = paced.measure(onFirst ? off : on, "reused", seconds, tag + "-b", 0, 0);
            Run onRun = onFirst ? a : b;
            Run offRun = onFirst ? b : a;
            pacedOn.add(onRun);
            pacedOff.add(offRun);
            String spacing = paced.pacing() == Pacing.EVEN ? String.format("%d wrk threads on a schedule each", WRK_THREADS)
                    : String.format("%d ms mean wait between requests on each of %d connections", paced.delayMillis(), connections);
            System.out.printf("[bench] paced (%s) at %,d req/s (%s), try %d: "
                            + "on %,.0f req/s p50 %.3f p99 %.3f ms | off %,.0f req/s p50 %.3f p99 %.3f ms | load %.1f%n",
                    paced.pacing().tag, rate, spacing, i, onRun.throughput(), onRun.p50Ms(), onRun.p99Ms(),
                    offRun.throughput(), offRun.p50Ms(), offRun.p99Ms(), loadAverage());
        }
        return List.of(pacedOn, pacedOff);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void printSummary(Map<String, List<Run>> onRuns, Map<String, List<Run>> offRuns, int rate,
                                     Map<Pacing, List<List<Run>>> paced) {
        System.out.println();
        System.out.printf("[bench] summary (%s, load avg %.1f): median of rounds, auth on vs auth off%n", Instant.now(), loadAverage());
        System.out.println("[bench] mix     ratio  ratio/cpu-s  on req/s   on p50/p99 ms    off req/s  off p50/p99 ms");
        for (String mix : MIXES) {
            List<Run> on = onRuns.get(mix);
            List<Run> off = offRuns.get(mix);
            double[] ratios = new double[on.size()];
            double[] cpuRatios = new double[on.size()];
            for (int i = 0; i < on.size(); i++) {
                ratios[i] = on.get(i).throughput() / off.get(i).throughput();
                cpuRatios[i] = on.get(i).perCpuSecond() / off.get(i).perCpuSecond();
            }
            System.out.printf("[bench] %-6s  %.3f  %.3f        %,9.0f   %5.2f / %6.2f   %,9.0f   %5.2f / %6.2f%n", mix, median(ratios), median(cpuRatios),
                    median(on.stream().mapToDouble(Run::throughput).toArray()),
                    median(on.stream().mapToDouble(Run::p50Ms).toArray()), median(on.stream().mapToDouble(Run::p99Ms).toArray()),
                    median(off.stream().mapToDouble(Run::throughput).toArray()),
                    median(off.stream().mapToDouble(Run::p50Ms).toArray()), median(off.stream().mapToDouble(Run::p99Ms).toArray()));
        }
        paced.forEach((pacing, runs) -> {
            List<Run> pacedOn = runs.get(0);
            List<Run> pacedOff = runs.get(1);
            double onP50 = median(pacedOn.stream().mapToDouble(Run::p50Ms).toArray());
            double offP50 = median(pacedOff.stream().mapToDouble(Run::p50Ms).toArray());
            double onP99 = median(pacedOn.stream().mapToDouble(Run::p99Ms).toArray());
            double offP99 = median(pacedOff.stream().mapToDouble(Run::p99Ms).toArray());
            System.out.printf("[bench] half of peak (%,d req/s asked, %,.0f / %,.0f achieved, %s-paced wrk, reused token, median of %d): "
                            + "p50 on %.3f / off %.3f ms, p99 on %.3f / off %.3f ms, p99 added %.3f ms%n", rate,
                    median(pacedOn.stream().mapToDouble(Run::throughput).toArray()), median(pacedOff.stream().mapToDouble(Run::throughput).toArray()),
                    pacing.tag, pacedOn.size(), onP50, offP50, onP99, offP99, onP99 - offP99);
            double pooledOn = pooledPercentileMs(pacedOn, 99);
            double pooledOff = pooledPercentileMs(pacedOff, 99);
            System.out.printf("[bench] half of peak, %s-paced, all %d runs of a side pooled: p99 on %.3f / off %.3f ms, p99 added %.3f ms%n",
                    pacing.tag, pacedOn.size(), pooledOn, pooledOff, pooledOn - pooledOff);
        });
    }

    /** wrk's latency histogram from the script's {@code KG-LATENCY} line: microseconds to count. */
    static Map<Long, Long> histogram(String output) {
        Map<Long, Long> counts = new java.util.TreeMap<>();
        Matcher line = LATENCY.matcher(output);
        if (line.find()) {
            for (String bucket : line.group(1).trim().split(" ")) {
                if (!bucket.isEmpty()) {
                    int colon = bucket.indexOf(':');
                    counts.merge(Long.parseLong(bucket.substring(0, colon)), Long.parseLong(bucket.substring(colon + 1)), Long::sum);
                }
            }
        }
        return counts;
    }

    /**
     * The {@code percent} percentile, in milliseconds, of all the requests of {@code runs} together (their histograms
     * merged): steadier than the median of each run's percentile, which moves with how many GC pauses one run caught.
     */
    static double pooledPercentileMs(List<Run> runs, double percent) {
        java.util.TreeMap<Long, Long> pooled = new java.util.TreeMap<>();
        runs.forEach(run -> run.latencyMicros().forEach((micros, count) -> pooled.merge(micros, count, Long::sum)));
        long total = pooled.values().stream().mapToLong(Long::longValue).sum();
        long rank = (long) Math.ceil(total * percent / 100);
        long seen = 0;
        for (Map.Entry<Long, Long> bucket : pooled.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return bucket.getKey() / 1e3;
            }
        }
        return Double.NaN;
    }

    /** The upper bound of the bucket holding the 99th percentile of what was observed between two scrapes. */
    static String p99Bound(Map<Double, Long> before, Map<Double, Long> after) {
        if (after.isEmpty()) {
            return "n/a (this build has no keygate_authorization_seconds)";
        }
        long total = after.getOrDefault(Double.POSITIVE_INFINITY, 0L) - before.getOrDefault(Double.POSITIVE_INFINITY, 0L);
        for (Map.Entry<Double, Long> bucket : new java.util.TreeMap<>(after).entrySet()) {
            long count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0L);
            if (total > 0 && count >= Math.ceil(total * 0.99)) {
                return bucket.getKey().isInfinite() ? "+Inf" : String.format("%.3f ms", bucket.getKey() * 1000);
            }
        }
        return "n/a (nothing observed)";
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AuthOverhead.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path writeTokens(Path file, LocalIssuer issuer, int first, int count) throws IOException {
        System.out.printf("[bench] minting %,d RS256 tokens%n", count);
        List<String> tokens = java.util.stream.IntStream.range(first, first + count).parallel()
                .mapToObj(issuer::token).toList();
        return Files.write(file, tokens);
    }

    /**
     * wrk with the traffic-mix script; when {@code pacing} is set, wrk's {@code delay()} hook holds the
     * rate: each thread on a schedule, or each connection waiting {@code delayMillis} (on average) before
     * each request, which holds it near {@code connections * 1000 / delayMillis} (see {@link Pacing}). Paced wrk is still
     * closed-loop: a stall delays the requests behind it instead of charging them (wrk2 would, but
     * Debian does not package it).
     */
    private record Wrk(Path lua, Path reused, Path fresh, int connections, int delayMillis, Pacing pacing) {

        Wrk(Path lua, Path reused, Path fresh, int connections) {
            this(lua, reused, fresh, connections, 0, null);
        }

        /** A copy of the script with a {@code delay()} hook holding about {@code rate} requests a second, spaced by {@code pacing}. */
        Wrk paced(Path pacedLua, int rate, Pacing pacing) throws IOException {
            int delay = Math.max(1, Math.round(connections * 1000f / rate));
            String hook = switch (pacing) {
                case EVEN -> "even_interval_us = " + 1_000_000L * WRK_THREADS / rate + "\neven_threads = " + WRK_THREADS + "\n"
                        + resource("/wrk/pacing-even.lua");
                case LOCKSTEP -> "function delay()\n  return " + delay + "\nend\n";
                // inverse transform of a uniform draw; seeded per wrk thread so threads draw different waits
                case RANDOM -> "local seeded = false\nfunction delay()\n  if not seeded then math.randomseed(7919 * (thread_id + 1)); seeded = true end\n"
                        + "  return math.floor(-math.log(1 - math.random()) * " + delay + " + 0.5)\nend\n";
            };
            Files.writeString(pacedLua, Files.readString(lua) + "\n" + hook);
            return new Wrk(pacedLua, reused, fresh, connections, delay, pacing);
        }

        /** A measured run: one whose threads all ran the whole duration, else the rate would be understated. */
        Run measure(GatewayProcess target, String mix, int seconds, String tag, int newOffset, int newCount) throws IOException, InterruptedException {
            Run run = run(target, mix, seconds, tag, newOffset, newCount);
            if (run.stoppedEarly() > 0) {
                throw new IllegalStateException(tag + ": " + run.stoppedEarly() + " wrk thread(s) ran out of never-seen tokens or hit the"
                        + " request bound before the end; raise NEW_TOKENS_PER_SECOND or MAX_REQUESTS_PER_RUN");
            }
            return run;
        }

        Run run(GatewayProcess target, String mix, int seconds, String tag, int newOffset, int newCount) throws IOException, InterruptedException {
            int threads = WRK_THREADS;
            long perThread = MAX_REQUESTS_PER_RUN / threads;
            List<String> command = new ArrayList<>(Cpus.GENERATOR.prefix());
            command.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                    "-s", lua.toString(), target.url(), "--", mix, reused.toString(), fresh.toString(),
                    Integer.toString(newOffset), Integer.toString(newCount), Integer.toString(threads), Long.toString(perThread), tag));
            double cpuBefore = target.cpuSeconds();
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                wrk.destroyForcibly();
                throw new IllegalStateException("wrk did not stop");
            }
            double cpu = target.cpuSeconds() - cpuBefore;
            Matcher m = RESULT.matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("no result from wrk: " + output);
            }
            return new Run(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) / 1e6, Long.parseLong(m.group(3)) / 1e3,
                    Long.parseLong(m.group(4)) / 1e3, Long.parseLong(m.group(5)) + Long.parseLong(m.group(6)), cpu,
                    Integer.parseInt(m.group(7)), histogram(output));
        }
    }

    /**
     * Where the load generator and the gateways run. With {@code KEYGATE_BENCH_PIN=true} (and at least 2 CPUs and
     * {@code taskset}), wrk gets CPU 0 and both gateways the others. Off by default: tried on the 2-CPU machine
     * (2026-12-02 08:56, docs/benchmarks.md), one core for a gateway's JIT, GC and Jetty threads made the rates
     * move by 4x between rounds instead of 2x.
     */
    enum Cpus {
        GENERATOR, GATEWAYS;

        private static final int COUNT = Runtime.getRuntime().availableProcessors();
        private static final boolean PINNED = COUNT >= 2 && "true".equals(System.getenv("KEYGATE_BENCH_PIN"))
                && Files.isExecutable(Path.of("/usr/bin/taskset"));

        List<String> prefix() {
            if (!PINNED) {
                return List.of();
            }
            return List.of("/usr/bin/taskset", "-c", this == GENERATOR ? "0" : (COUNT == 2 ? "1" : "1-" + (COUNT - 1)));
        }

        static String describe() {
            return PINNED ? "wrk pinned to CPU 0, gateways to CPU " + (COUNT == 2 ? "1" : "1-" + (COUNT - 1)) : "not pinned (all share every CPU)";
        }
    }

    /** One gateway process started from the jar, on a free port of 127.0.0.1, with its own H2 file. */
    static final class GatewayProcess implements AutoCloseable {

        private final Process process;
        private final int port;
        private final boolean authEnabled;

        private GatewayProcess(Process process, int port, boolean authEnabled) {
            this.process = process;
            this.port = port;
            this.authEnabled = authEnabled;
        }

        static GatewayProcess start(Path jar, Path dir, LocalIssuer issuer, boolean authEnabled, Path jfr) throws Exception {
            Files.createDirectories(dir);
            int port = freePort();
            String config = "server:\n  host: 127.0.0.1\n  port: " + port + "\n"
                    + "auth:\n  enabled: " + authEnabled + "\n"
                    + "keycloak:\n  url: http://127.0.0.1:" + issuer.port() + "\n  realm: bench\n  clientSecret: bench\n"
                    + "storage:\n  jdbcUrl: jdbc:h2:file:" + dir.resolve("keygate") + "\n"
                    + "audit:\n  sink: jdbc\n"
                    + "issuers:\n  - name: bench\n    issuer: " + issuer.issuer() + "\n    jwks: " + issuer.issuer()
                    + "/protocol/openid-connect/certs\n    audiences: [keygate-api]\n";
            Path file = Files.writeString(dir.resolve("gateway.yaml"), config);
            List<String> command = new ArrayList<>(Cpus.GATEWAYS.prefix());
            command.addAll(List.of("java", "-Xmx512m", "-XX:+UseParallelGC"));
            if (jfr != null) {
                Files.createDirectories(jfr);
                command.add("-XX:StartFlightRecording=filename=" + jfr.resolve((authEnabled ? "on" : "off") + ".jfr")
                        + ",settings=profile,dumponexit=true");
            }
            command.addAll(List.of("-jar", jar.toString(), file.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("gateway.log").toFile()).start();
            GatewayProcess gateway = new GatewayProcess(process, port, authEnabled);
            gateway.awaitHealthy();
            return gateway;
        }

        /** Cumulative counts of {@code keygate_authorization_seconds} by bucket bound; empty when the build has none. */
        Map<Double, Long> authorizationBuckets() throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/metrics")).build();
            String text = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
            Map<Double, Long> buckets = new java.util.TreeMap<>();
            Matcher bucket = Pattern.compile("(?m)^keygate_authorization_seconds_bucket\\{le=\"([^\"]+)\"} ([0-9.eE+]+)$").matcher(text);
            while (bucket.find()) {
                double bound = bucket.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.group(1));
                buckets.put(bound, (long) Double.parseDouble(bucket.group(2)));
            }
            return buckets;
        }

        /** User + system CPU time of the gateway process so far (Linux {@code /proc/<pid>/stat}, 100 ticks a second). */
        double cpuSeconds() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }

        String label() {
            return authEnabled ? "on" : "off";
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        void createModel(String name, String token) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/apis/models/v2/workspaces/ml-team/models"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException(label() + ": creating the model answered " + response.statusCode() + " " + response.body());
            }
        }

        private void awaitHealthy() throws InterruptedException {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("gateway exited with " + process.exitValue());
                }
                try {
                    HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/healthz")).timeout(Duration.ofSeconds(2)).build();
                    if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("gateway did not start within 90 s");
        }

        private static int freePort() throws IOException {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
