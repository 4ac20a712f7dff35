package dev.sluice.policy;

import sun.misc.Unsafe;

import java.lang.reflect.Field;

/**
 * Volatile reads and compare-and-sets of 64-bit words outside the Java heap, by native address: for words in a
 * shared file mapping ({@link QuotaCounter}), reached with no object between the caller and the word.
 *
 * <p>The one holder of {@link Unsafe} in the policy, fetched once from its {@code theUnsafe} field (module
 * {@code jdk.unsupported} opens {@code sun.misc} to every module, so no JVM option is needed). A compare-and-set
 * here is the processor's atomic instruction on the word, so it is atomic across threads and across processes
 * mapping the same file.
 *
 * <p>Nothing is checked: the caller guarantees that an address is of eight readable and writable bytes, aligned
 * to 8 (an unaligned compare-and-set is not atomic everywhere), for as long as it uses the address. A wrong
 * address crashes the JVM.
 */
final class NativeWords {

    private static final Unsafe UNSAFE;

    static {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            UNSAFE = (Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativeWords() {
    }

    /** The word at {@code address}, read with volatile semantics. */
    static long getVolatile(long address) {
        return UNSAFE.getLongVolatile(null, address);
    }

    /** Sets the word at {@code address} to {@code update} if it is {@code expected}: atomically, volatile. */
    static boolean compareAndSet(long address, long expected, long update) {
        return UNSAFE.compareAndSwapLong(null, address, expected, update);
    }
}
