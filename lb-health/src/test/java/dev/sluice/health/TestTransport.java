package dev.sluice.health;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A Netty transport available on this machine, for running integration tests on each. */
record TestTransport(String name, Supplier<IoHandlerFactory> handlers, Class<? extends SocketChannel> client,
                     Class<? extends ServerChannel> server) {

    /** NIO always; epoll and io_uring when the machine supports them. */
    static List<TestTransport> available() {
        List<TestTransport> list = new ArrayList<>();
        list.add(new TestTransport("nio", NioIoHandler::newFactory, NioSocketChannel.class,
                NioServerSocketChannel.class));
        if (Epoll.isAvailable()) {
            list.add(new TestTransport("epoll", EpollIoHandler::newFactory, EpollSocketChannel.class,
                    EpollServerSocketChannel.class));
        }
        if (IoUring.isAvailable()) {
            list.add(new TestTransport("io_uring", IoUringIoHandler::newFactory, IoUringSocketChannel.class,
                    IoUringServerSocketChannel.class));
        }
        return list;
    }

    MultiThreadIoEventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, handlers.get());
    }

    @Override
    public String toString() {
        return name;
    }
}
