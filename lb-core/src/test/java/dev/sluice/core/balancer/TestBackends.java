package dev.sluice.core.balancer;

import dev.sluice.core.config.BackendConfig;
import dev.sluice.core.config.BackendState;
import dev.sluice.core.config.ClusterConfig;
import dev.sluice.core.config.HostPort;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Backends, sets, clusters and pick contexts for balancer tests. */
final class TestBackends {

    private TestBackends() {
    }

    static Backend backend(String host, int port, int weight, boolean healthy) {
        HostPort hp = new HostPort(host, port);
        return new Backend(hp, InetSocketAddress.createUnresolved(host, port), weight, BackendState.ACTIVE, healthy);
    }

    /** {@code n} healthy backends {@code 10.0.x.y:8080} of weight 1, in address order. */
    static List<Backend> backends(int n) {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(backend("10.0." + (i / 250) + "." + (i % 250 + 1), 8080, 1, true));
        }
        return list;
    }

    static BackendSet set(List<Backend> backends) {
        return BackendSet.of(1, backends);
    }

    /** The same backends with the ones at {@code indexes} unhealthy. */
    static BackendSet withUnhealthy(List<Backend> backends, int... indexes) {
        List<Backend> copy = new ArrayList<>(backends);
        for (int i : indexes) {
            copy.set(i, copy.get(i).withHealthy(false));
        }
        return BackendSet.of(2, copy);
    }

    static ClusterConfig cluster(String balancer, String hashKey, String fallback, List<Backend> backends) {
        List<BackendConfig> configs = new ArrayList<>();
        for (Backend b : backends) {
            configs.add(new BackendConfig(b.address(), b.weight()));
        }
        ClusterConfig simple = ClusterConfig.simple("test", balancer, configs);
        return new ClusterConfig(simple.name(), balancer, hashKey, fallback, simple.maglevTableSize(), simple.ewmaDecay(),
                simple.backends(), simple.timeouts(), simple.maxRequestBody(), null, null, null, simple.limits());
    }

    static HttpRequest get(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    static PickContext context(HttpRequest request, String clientIp) {
        InetAddress address = address(clientIp);
        return new PickContext() {
            @Override
            public HttpRequest request() {
                return request;
            }

            @Override
            public InetAddress clientAddress() {
                return address;
            }
        };
    }

    static PickContext headerContext(String name, String value) {
        HttpRequest request = get("/");
        request.headers().set(name, value);
        return context(request, "192.0.2.1");
    }

    /** The address of a literal, or {@code null} for {@code null} (a context without a client address). */
    static InetAddress address(String literal) {
        if (literal == null) {
            return null;
        }
        try {
            return InetAddress.getByName(literal); // literals only: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
