import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Holds each request to its deadlines and refuses request targets that are not origin-form.
///
/// It sits in `HTTP1Channel.Configuration.additionalChannelHandlers`, so on HTTP/1 it comes after
/// `HTTP1ToHTTPServerCodec` (and adds `OriginFormGuard` before that codec, which still sees the raw target), and on
/// an HTTP/2 stream after `HTTP2FramePayloadToHTTPServerCodec`, where `:path` arrives as the client wrote it.
/// A request head must be complete `headTimeout` after the connection or stream opened (`keepAliveTimeout` after
/// the previous response); since the head only arrives once whole, trickling bytes does not reset the timer.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Fired into the pipeline so a route reading the body gets an error, not a silently truncated body.
    struct BodyTimeout: Error {}

    private let headTimeout: TimeAmount
    private let keepAliveTimeout: TimeAmount?
    private let bodyTimeout: TimeAmount
    private var headTimer: Scheduled<Void>?
    private var bodyTimer: Scheduled<Void>?
    private var unanswered = 0  // request heads read - response ends written
    private var readingBody = false  // between an inbound .head and its .end
    private var responseStarted = false  // a final response head went out, its .end not yet
    private var timedOut = false
    private var served = false  // at least one response completed on this connection

    /// - headTimeout: a request head must be complete this long after the connection (or stream) opened.
    /// - keepAliveTimeout: for later requests, measured from the end of the previous response; nil = headTimeout.
    /// - bodyTimeout: the request body must be complete this long after its head, else 408 + close.
    init(headTimeout: TimeAmount, keepAliveTimeout: TimeAmount? = nil, bodyTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.bodyTimeout = bodyTimeout
    }

    // Plain HTTP/1: added before the channel is active -> channelActive. After ALPN (TLS) or on an
    // HTTP/2 stream: added to an already active channel -> handlerAdded.
    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
            try? pipeline.addHandler(OriginFormGuard(), position: .before(codec))
        }
        if context.channel.isActive { self.armHeadTimerIfIdle(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.armHeadTimerIfIdle(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelTimers()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelTimers()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.timedOut { return }
        switch Self.unwrapInboundIn(data) {
        case .head(let head) where !Self.isOriginForm(head):
            // An HTTP/2 `:path` that is not a path (`?@host:port/…`, a CONNECT without one): refused here, before
            // any route, proxy or log sees it.
            self.cancelTimers()
            self.timedOut = true
            let response = HTTPResponse(status: .badRequest, headerFields: [.contentLength: "0"])
            context.write(Self.wrapOutboundOut(.head(response)), promise: nil)
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            return
        case .head:
            self.headTimer?.cancel()
            self.headTimer = nil
            self.unanswered += 1
            self.readingBody = true
            self.bodyTimer?.cancel()
            self.bodyTimer = context.eventLoop.assumeIsolated().scheduleTask(in: self.bodyTimeout) {
                self.bodyTimedOut(context)
            }
        case .body:
            break
        case .end:
            self.readingBody = false
            self.bodyTimer?.cancel()
            self.bodyTimer = nil
            self.armHeadTimerIfIdle(context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if self.timedOut {
            // We answered (or dropped) this request ourselves; keep the app's late writes off the wire.
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch Self.unwrapOutboundIn(data) {
        case .head(let response):
            if response.status.kind != .informational { self.responseStarted = true }
        case .body:
            break
        case .end:
            self.responseStarted = false
            self.unanswered -= 1
            self.served = true
            self.armHeadTimerIfIdle(context)
        }
        context.write(data, promise: promise)
    }

    private func armHeadTimerIfIdle(_ context: ChannelHandlerContext) {
        guard self.unanswered == 0, !self.readingBody, self.headTimer == nil, !self.timedOut else { return }
        let delay = (self.served ? self.keepAliveTimeout : nil) ?? self.headTimeout
        self.headTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.headTimer = nil
            self.timedOut = true
            context.close(promise: nil)  // nothing in flight: just drop the connection / stream
        }
    }

    private func bodyTimedOut(_ context: ChannelHandlerContext) {
        self.bodyTimer = nil
        guard !self.timedOut else { return }
        self.timedOut = true
        self.headTimer?.cancel()
        self.headTimer = nil
        context.fireErrorCaught(BodyTimeout())
        if self.unanswered == 1, !self.responseStarted {
            // Nobody has started answering this request: a 408 cannot interleave with another response.
            // No `Connection: close` header: it is forbidden on HTTP/2 streams and the close says it anyway.
            let head = HTTPResponse(status: .requestTimeout, headerFields: [.contentLength: "0"])
            context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.close(promise: nil)
        }
    }

    /// `/…`, or `*` for OPTIONS.
    static func isOriginForm(_ head: HTTPRequest) -> Bool {
        guard let path = head.path else { return false }
        return path.hasPrefix("/") || (path == "*" && head.method == .options)
    }

    private func cancelTimers() {
        self.headTimer?.cancel()
        self.headTimer = nil
        self.bodyTimer?.cancel()
        self.bodyTimer = nil
    }
}

/// Refuses absolute-form and authority-form request targets on HTTP/1 (`GET http://host/…`, `CONNECT host:port`)
/// with 400. It sits before `HTTP1ToHTTPServerCodec`, which would otherwise keep only the path of such a target, so
/// the rest of the server could never tell it was not a plain request for us.
final class OriginFormGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        if case .head(let head) = Self.unwrapInboundIn(data),
           !(head.uri.hasPrefix("/") || (head.uri == "*" && head.method == .OPTIONS)) {
            refused = true
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "0")
            headers.add(name: "Connection", value: "close")
            context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .badRequest, headers: headers))), promise: nil)
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            return
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if refused {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(data, promise: promise)
    }
}
