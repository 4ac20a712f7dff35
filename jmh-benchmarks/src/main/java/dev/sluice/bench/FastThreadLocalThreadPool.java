package dev.sluice.bench;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A JMH worker pool whose threads are Netty {@code FastThreadLocalThread}s, as event-loop threads are. Netty's
 * {@code Recycler} pools buffer and message wrappers, and the pooled allocator keeps a thread cache, only on such
 * threads; on JMH's plain threads both fall back to allocating, and {@code -prof gc} would report Netty's fallback
 * instead of what the proxy allocates on its loops.
 *
 * <p>Selected in a benchmark's {@code @Fork} with {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=dev.sluice.bench.FastThreadLocalThreadPool}; JMH calls the {@code (int, String)}
 * constructor.
 */
public final class FastThreadLocalThreadPool extends ThreadPoolExecutor {

    /** JVM options that make JMH run a benchmark's threads from this pool. */
    public static final String EXECUTOR = "-Djmh.executor=CUSTOM";
    public static final String EXECUTOR_CLASS = "-Djmh.executor.class=dev.sluice.bench.FastThreadLocalThreadPool";

    public FastThreadLocalThreadPool(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
