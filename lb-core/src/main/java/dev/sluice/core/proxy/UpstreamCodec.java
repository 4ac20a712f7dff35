package dev.sluice.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * The upstream side's HTTP/1.1 codec: a request encoder and a response decoder that pairs each response with
 * the request it answers (so a response to HEAD has no body), as Netty's client codec does, plus one rule:
 * a backend may only send bytes that a request asked for. Bytes arriving while no response is due (after a
 * response longer than its framing said, or on an idle pooled connection) become one failed response and
 * everything after it is discarded, so the connection is closed instead of answering the next request with
 * the leftovers of the previous one.
 *
 * <p>Confined to its connection's event loop. Allocates nothing per exchange beyond Netty's codecs, and spares
 * some of theirs: the common field names ({@link CommonFieldNames}), the protocol version, status code and
 * standard reason phrase of a status line are shared strings rather than new ones per response, and the last part
 * of a body framed by {@code Content-Length} shares one empty trailer set ({@link BodyTrailers}).
 */
final class UpstreamCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {

    /** The refusal carried by the failed response made of unrequested bytes; shared, stackless, never thrown. */
    private static final Exception UNREQUESTED_BYTES = new Exception("bytes from the backend that no request asked for",
            null, false, false) {
    };

    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String HTTP_1_0 = "HTTP/1.0";
    /** "100" to "599" and each code's standard reason phrase, indexed by code. */
    private static final String[] CODES = new String[600];
    private static final String[] REASONS = new String[600];

    static {
        for (int code = 100; code < 600; code++) {
            CODES[code] = Integer.toString(code);
            REASONS[code] = HttpResponseStatus.valueOf(code).reasonPhrase();
        }
    }

    private final HeadRequestQueue requests = new HeadRequestQueue();
    /** Requests sent whose final response has not ended yet. */
    private int awaiting;

    UpstreamCodec(HttpDecoderConfig config) {
        init(new ResponseDecoder(BodyTrailers.install(config)), new RequestEncoder());
    }

    private final class RequestEncoder extends HttpRequestEncoder {
        @Override
        protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
            requests.requestDecoded(HttpMethod.HEAD.equals(request.method()));
            awaiting++;
            super.encodeInitialLine(buf, request);
        }
    }

    private final class ResponseDecoder extends HttpResponseDecoder {
        private boolean interim;
        private boolean discarding;
        /** The status code of the status line being split, between its second and third word; else -1. */
        private int splitCode = -1;

        ResponseDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (discarding) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (awaiting == 0) {
                discarding = true;
                in.skipBytes(in.readableBytes());
                HttpResponse failed = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
                failed.setDecoderResult(DecoderResult.failure(UNREQUESTED_BYTES));
                out.add(failed);
                return;
            }
            int before = out.size();
            super.decode(ctx, in, out);
            for (int i = before; i < out.size(); i++) {
                Object msg = out.get(i);
                if (msg instanceof HttpResponse r) {
                    interim = r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
                    discarding |= r.decoderResult().isFailure();
                }
                if (msg instanceof LastHttpContent last) {
                    discarding |= last.decoderResult().isFailure();
                    if (!interim) {
                        awaiting--;
                    }
                }
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (discarding) {
                in.skipBytes(in.readableBytes());
                return;
            }
            super.decodeLast(ctx, in, out);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // interim responses answer no request of their own
            }
            return requests.finalResponseStarted() || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected HttpMessage createMessage(String[] initialLine) {
            HttpMessage head = super.createMessage(initialLine);
            ((BodyTrailers) trailersFactory).messageStarted(head);
            return head;
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString common = CommonFieldNames.find(sb, start, length);
            return common != null ? common : super.splitHeaderName(sb, start, length);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
            if (HttpGrammar.sameAscii(HTTP_1_1, sb, start, length)) {
                return HTTP_1_1;
            }
            if (HttpGrammar.sameAscii(HTTP_1_0, sb, start, length)) {
                return HTTP_1_0;
            }
            return super.splitFirstWordInitialLine(sb, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
            splitCode = -1;
            if (length == 3 && isDigit(sb[start]) && isDigit(sb[start + 1]) && isDigit(sb[start + 2])) {
                int code = (sb[start] - '0') * 100 + (sb[start + 1] - '0') * 10 + (sb[start + 2] - '0');
                if (code >= 100 && code < 600) {
                    splitCode = code;
                    return CODES[code];
                }
            }
            return super.splitSecondWordInitialLine(sb, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
            int code = splitCode;
            splitCode = -1;
            if (code >= 0 && HttpGrammar.sameAscii(REASONS[code], sb, start, length)) {
                return REASONS[code];
            }
            return super.splitThirdWordInitialLine(sb, start, length);
        }

        private static boolean isDigit(byte b) {
            return b >= '0' && b <= '9';
        }

        /** A failed head without a body buffer, so a refused response holds nothing that needs releasing. */
        @Override
        protected HttpMessage createInvalidMessage() {
            return new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.BAD_GATEWAY);
        }
    }
}
