package dev.sluice.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns every Netty leak report into a test failure. Registered for all test classes through JUnit's
 * extension auto-detection (see {@code junit-platform.properties} in this test jar); the build runs every test
 * JVM with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 *
 * <p>After each test class it collects garbage and allocates tracked buffers, which makes Netty poll its
 * reference queue and report any buffer that was garbage collected without being released.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        // Must run before the first buffer class initialises its detector: JUnit loads extensions first.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int round = 0; round < 3; round++) {
            System.gc();
            System.runFinalization();
            Thread.sleep(20); // lets the reference handler enqueue collected trackers; not a timing assertion
            for (int i = 0; i < 64; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                a.release();
                b.release();
            }
        }
        List<String> found;
        synchronized (LEAKS) { // test thread vs Netty threads reporting; not an event loop concern
            found = new ArrayList<>(LEAKS);
            LEAKS.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError("Netty reported " + found.size() + " leak(s) in or before "
                    + context.getDisplayName() + ":\n" + String.join("\n----\n", found));
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + " (untraced)");
        }

        private static void record(String text) {
            synchronized (LEAKS) {
                LEAKS.add(text);
            }
        }
    }
}
