import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Closes the connection unless the TLS handshake completes within `timeout` of the accept, and then unless the
/// client sends its first bytes (an HTTP/2 preface or an HTTP/1 request) within `timeout` of the handshake: a
/// client that negotiates HTTP/2 and stays silent would otherwise be asked to go away with a PING it never answers.
/// Must sit after NIOSSLServerHandler (which fires the handshake event toward the tail and hands on decrypted
/// bytes) and before the ALPN handler (which consumes the event).
final class TLSHandshakeTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added in the child-channel initializer, i.e. right after accept and before channelActive.
        arm(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            arm(context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The first application bytes: from here on the HTTP layers' own deadlines apply.
        self.timer?.cancel()
        self.timer = nil
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func arm(_ context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            context.close(promise: nil)
        }
    }
}

/// Closes the connection on any IdleStateHandler event (backstop for clients that stop talking entirely,
/// e.g. an HTTP/2 client that never acks the GOAWAY ping).
final class CloseOnIdleHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Wraps any TLS child channel (HTTP2UpgradeChannel, TLSChannel<HTTP1Channel>) and inserts the guards
/// right after its NIOSSLServerHandler.
struct GuardedTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let handshakeTimeout: TimeAmount
    let silenceTimeout: TimeAmount?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let handshakeTimeout = self.handshakeTimeout
        let silenceTimeout = self.silenceTimeout
        return self.base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let tls = try pipeline.handler(type: NIOSSLServerHandler.self)
            var handlers: [any ChannelHandler] = [TLSHandshakeTimeoutHandler(timeout: handshakeTimeout)]
            if let silenceTimeout {
                handlers += [IdleStateHandler(allTimeout: silenceTimeout), CloseOnIdleHandler()]
            }
            try pipeline.addHandlers(handlers, position: .after(tls))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await self.base.handle(value: value, logger: logger)
    }
}
