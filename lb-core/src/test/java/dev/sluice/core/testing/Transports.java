package dev.sluice.core.testing;

import dev.sluice.core.transport.Transport;
import org.junit.jupiter.params.provider.Arguments;

import java.util.List;
import java.util.stream.Stream;

/**
 * The matrix integration tests run over: every transport available on this machine (NIO always, epoll and
 * io_uring when the kernel has them), each with one event loop and with several.
 */
public final class Transports {

    private Transports() {
    }

    /** Arguments (transport name, loops) for {@code @MethodSource}. */
    public static Stream<Arguments> matrix() {
        return names().flatMap(name -> Stream.of(Arguments.of(name, 1), Arguments.of(name, 3)));
    }

    /**
     * The name of every transport in the matrix, for a {@code @MethodSource} whose test needs one loop only (each
     * loop has its own listening socket, so more loops would test nothing more).
     */
    public static Stream<String> names() {
        // -Dsluice.test.transports=nio,epoll narrows the matrix while debugging; the build runs all of them.
        String only = System.getProperty("sluice.test.transports", "");
        return Transport.available().stream().map(Transport::configName)
                .filter(name -> only.isEmpty() || List.of(only.split(",")).contains(name));
    }
}
