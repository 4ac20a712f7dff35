package dev.sluice.core.testing;

import dev.sluice.core.transport.Transport;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
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
        List<Arguments> list = new ArrayList<>();
        // -Dsluice.test.transports=nio,epoll narrows the matrix while debugging; the build runs all of them.
        String only = System.getProperty("sluice.test.transports", "");
        for (Transport t : Transport.available()) {
            if (!only.isEmpty() && !List.of(only.split(",")).contains(t.configName())) {
                continue;
            }
            list.add(Arguments.of(t.configName(), 1));
            list.add(Arguments.of(t.configName(), 3));
        }
        return list.stream();
    }
}
