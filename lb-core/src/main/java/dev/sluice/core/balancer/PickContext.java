package dev.sluice.core.balancer;

import io.netty.handler.codec.http.HttpRequest;

import java.net.InetAddress;

/**
 * What a picker may look at for one request. Implemented by the data plane; valid only during
 * {@link Picker#pick}. Confined to the event loop running the request.
 */
public interface PickContext {

    /** The request head (after filters ran). */
    HttpRequest request();

    /** The downstream client's address. */
    InetAddress clientAddress();
}
