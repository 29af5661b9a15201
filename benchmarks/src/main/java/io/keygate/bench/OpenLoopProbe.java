package io.keygate.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator for one number: latency at a fixed request rate (wrk, being
 * closed-loop, cannot hold a rate, and wrk2 is not packaged by Debian). Request {@code i} is due at
 * {@code start + i / rate} and its latency is measured from that due time, not from when it was
 * actually sent, so a stalled server is charged for the requests it delayed (no coordinated
 * omission). Bounded: {@code rate * seconds} requests, at most 200,000, to 127.0.0.1 only.
 */
final class OpenLoopProbe {

    /** Latencies of one probe; {@code late} counts requests issued more than 1 ms after their due time (generator lag). */
    record Result(long requests, long failed, long late, double p50Ms, double p99Ms) {
        @Override
        public String toString() {
            return String.format("%,d requests, %d failed, %d sent late, p50 %.3f ms, p99 %.3f ms", requests, failed, late, p50Ms, p99Ms);
        }
    }

    private OpenLoopProbe() {
    }

    static Result run(String baseUrl, String token, int rate, int seconds) throws InterruptedException {
        int total = (int) Math.min(200_000L, (long) rate * seconds);
        long[] latencies = new long[total];
        AtomicLong failed = new AtomicLong();
        long late = 0;
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "open-loop-client");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/apis/models/v2/workspaces/ml-team/models/llama-3"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).GET().build();
        CountDownLatch finished = new CountDownLatch(total);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(Math.min(due - now, 50_000));
            }
            if (now - due > 1_000_000) {
                late++;
            }
            int index = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                latencies[index] = System.nanoTime() - due;
                if (error != null || response.statusCode() != 200) {
                    failed.incrementAndGet();
                }
                finished.countDown();
            });
        }
        boolean done = finished.await(seconds + 30L, TimeUnit.SECONDS);
        executor.shutdownNow();
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Result(total, failed.get() + (done ? 0 : finished.getCount()), late, percentile(sorted, 50), percentile(sorted, 99));
    }

    private static double percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))] / 1e6;
    }
}
