package dev.sluice.bench.policy;

import java.util.Arrays;

/**
 * The policy's own cost per admitted request, measured in pairs: {@link PolicyFilterBenchmark#admit} and its
 * floor {@link PolicyFilterBenchmark#nettyHeadersOnly} run in alternating blocks in one JVM, and each block pair
 * gives one difference. JMH runs the two benchmarks one after the other, in separate forks, so on a machine whose
 * speed drifts by tens of percent within minutes their difference moves by more than the policy costs; a pair of
 * blocks a few milliseconds apart sees the same machine. Prints one line: the medians of both and of the
 * per-pair difference, with its quartiles.
 *
 * <p>Usage: {@code java [JVM options of PolicyFilterBenchmark's @Fork] -cp benchmarks.jar
 * dev.sluice.bench.policy.PolicyShareRunner [consumers] [pairs]}; {@code scripts/policy-share.sh} runs it in
 * several JVMs (the JIT compiles each JVM's code a little differently) and sums up.
 */
public final class PolicyShareRunner {

    private static final int OPERATIONS_PER_BLOCK = 200_000;
    /** Where the loops' results go, so the JIT cannot drop the work that made them. */
    private static volatile long consumed;
    private static final int WARM_UP_BLOCKS = 30;

    private PolicyShareRunner() {
    }

    public static void main(String[] args) throws Exception {
        int consumers = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        PolicyFilterBenchmark bench = new PolicyFilterBenchmark();
        bench.consumers = consumers;
        bench.setUp();
        double[] admit = new double[pairs];
        double[] floor = new double[pairs];
        double[] share = new double[pairs];
        long sink = 0;
        try {
            for (int i = 0; i < WARM_UP_BLOCKS; i++) {
                sink += admits(bench, OPERATIONS_PER_BLOCK) + floors(bench, OPERATIONS_PER_BLOCK);
            }
            for (int i = 0; i < pairs; i++) {
                long t0 = System.nanoTime();
                sink += admits(bench, OPERATIONS_PER_BLOCK);
                long t1 = System.nanoTime();
                sink += floors(bench, OPERATIONS_PER_BLOCK);
                long t2 = System.nanoTime();
                admit[i] = (t1 - t0) / (double) OPERATIONS_PER_BLOCK;
                floor[i] = (t2 - t1) / (double) OPERATIONS_PER_BLOCK;
                share[i] = admit[i] - floor[i];
            }
        } finally {
            bench.tearDown(); // fails the run if any request was refused: then the figure is not the admitted path
        }
        System.out.printf("consumers=%d pairs=%d admit=%.0f ns nettyHeadersOnly=%.0f ns share=%.0f ns "
                        + "(quartiles %.0f-%.0f)%n", consumers, pairs, median(admit), median(floor), median(share),
                quantile(share, 0.25), quantile(share, 0.75));
        consumed = sink;
    }

    private static long admits(PolicyFilterBenchmark bench, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += bench.admit().ordinal();
        }
        return s;
    }

    private static long floors(PolicyFilterBenchmark bench, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += bench.nettyHeadersOnly();
        }
        return s;
    }

    private static double median(double[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(double[] v, double q) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }
}
