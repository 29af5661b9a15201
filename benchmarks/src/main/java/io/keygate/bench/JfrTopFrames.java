package io.keygate.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a JFR recording, as text (the numbers behind a flame graph): for
 * {@code jdk.ExecutionSample} events, the share of samples whose top frame is a method (self
 * time) and whose stack contains it (total time), overall and for frames matching a prefix; for
 * {@code jdk.ObjectAllocationSample}, the allocation weight by allocating method.
 * With a fourth argument, only samples whose stack contains that method ({@code Class.method}) count;
 * with {@code -Dafter=<ISO instant>}, only events from then on (the measured part of a recording), and with
 * {@code -Dbefore=<ISO instant>} only events before then (one round of one mix).
 * <pre>java -cp benchmarks/target/benchmarks.jar io.keygate.bench.JfrTopFrames recording.jfr [prefix=io.keygate] [rows=25] [within]</pre>
 */
public final class JfrTopFrames {

    private JfrTopFrames() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String prefix = args.length > 1 ? args[1] : "io.keygate";
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        String within = args.length > 3 ? args[3] : null;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        java.time.Instant after = instant("after", java.time.Instant.MIN);
        java.time.Instant before = instant("before", java.time.Instant.MAX);
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getStartTime().isBefore(after) || !event.getStartTime().isBefore(before)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            String type = event.getEventType().getName();
            if (within != null && stack.getFrames().stream().noneMatch(frame -> name(frame).equals(within))) {
                continue;
            }
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    if (seen.add(name(frame))) {
                        total.merge(name(frame), 1L, Long::sum);
                    }
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = event.getLong("weight");
                allocated += weight;
                allocations.merge(firstMatching(stack.getFrames(), prefix), weight, Long::sum);
            }
        }
        System.out.printf("%s%s: %,d execution samples, %,d MB allocation weight%n", file, within == null ? "" : " within " + within, samples, allocated >> 20);
        print("self time (top frame)", self, samples, rows, name -> true);
        print("total time (on the stack)", total, samples, rows, name -> true);
        print("total time of " + prefix + " frames", total, samples, rows, name -> name.startsWith(prefix));
        print("total time of Javalin / Jetty / JDBC / H2 / Prometheus frames", total, samples, rows,
                name -> name.startsWith("io.javalin") || name.startsWith("org.h2") || name.startsWith("com.zaxxer")
                        || name.startsWith("io.prometheus") || name.startsWith("java.util.regex"));
        print("allocation weight by nearest " + prefix + " frame", allocations, allocated, rows, name -> true);
    }

    private static java.time.Instant instant(String property, java.time.Instant unset) {
        String value = System.getProperty(property);
        return value == null ? unset : java.time.Instant.parse(value);
    }

    private static String firstMatching(List<RecordedFrame> frames, String prefix) {
        for (RecordedFrame frame : frames) {
            if (name(frame).startsWith(prefix)) {
                return name(frame);
            }
        }
        return "(no " + prefix + " frame) " + name(frames.get(0));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long all, int rows, Predicate<String> filter) {
        System.out.println();
        System.out.println("== " + title);
        counts.entrySet().stream().filter(e -> filter.test(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(e -> System.out.printf("%6.2f%%  %s%n", 100.0 * e.getValue() / Math.max(1, all), e.getKey()));
    }
}
