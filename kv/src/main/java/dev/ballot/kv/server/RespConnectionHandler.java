package dev.ballot.kv.server;

import dev.ballot.kv.resp.RespProtocolError;
import dev.ballot.kv.resp.RespReply;
import dev.ballot.kv.resp.RespRequest;
import dev.ballot.kv.sm.KvCommand;
import dev.ballot.kv.sm.KvLimits;
import dev.ballot.kv.sm.KvResult;
import dev.ballot.node.ClientSession;
import dev.ballot.node.NodeLoop;
import dev.ballot.node.RequestFailure;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One RESP connection: executes its requests and writes the replies <em>in request order</em>,
 * although {@link KvService#execute} futures complete in any order.
 *
 * <p>Requests wait in {@code waiting} until dispatched, then sit in {@code unwritten} until their
 * reply, and every earlier reply, is written. Consecutive writes run concurrently (their order is
 * the order they are handed to the service, which is the log order), as do consecutive reads;
 * but a read is not started while earlier writes of the connection are still executing, nor a
 * write while earlier reads are, so a pipeline sees its own writes exactly as if run one by one.
 * At most {@code maxInFlight} commands execute at once; when that many requests are pending the
 * connection stops reading (autoRead off), and also while the client is not reading its replies.
 *
 * <p>All state is touched only on the channel's event loop.
 */
final class RespConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RespConnectionHandler.class);

    /** A request and, once known, its reply. */
    private static final class Slot {
        /** The command to execute, or null when {@link #reply} was known on arrival. */
        final KvCommand command;
        RespReply reply;
        /** Close the connection once this reply is written (QUIT, protocol error). */
        boolean closeAfter;

        Slot(KvCommand command) {
            this.command = command;
        }

        Slot(RespReply reply, boolean closeAfter) {
            this.command = null;
            this.reply = reply;
            this.closeAfter = closeAfter;
        }
    }

    private final KvService service;
    private final KvLimits limits;
    private final int maxInFlight;
    private final RespLocalCommands local;
    /** The node loop this connection runs on (replies are flushed at the end of its turn), or null. */
    private final NodeLoop nodeLoop;
    /** Keeps this connection's writes in order through forwarding and leader changes. */
    private ClientSession session;

    private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
    private final ArrayDeque<Slot> unwritten = new ArrayDeque<>();
    private int running;
    private boolean runningReads;
    /** A QUIT or protocol error is queued: later input is ignored. */
    private boolean closing;
    private boolean closed;
    private ChannelHandlerContext ctx;

    RespConnectionHandler(KvService service, KvLimits limits, int maxInFlight, RespLocalCommands local,
                          NodeLoop nodeLoop) {
        this.nodeLoop = nodeLoop;
        this.service = service;
        this.limits = limits;
        this.maxInFlight = maxInFlight;
        this.local = local;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.session = service.openSession();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return;
        }
        switch (msg) {
            case RespRequest request -> waiting.add(slotFor(request));
            case RespProtocolError error -> {
                closing = true;
                waiting.add(new Slot(error.toReply(), true));
            }
            default -> throw new IllegalStateException("unexpected message " + msg.getClass());
        }
        pump();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (nodeLoop == null) ctx.flush(); // on the node loop, the end of the turn flushes
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        waiting.clear();
        unwritten.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("RESP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("RESP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private Slot slotFor(RespRequest request) {
        String name = request.command();
        if (!RespCommands.isKvCommand(name)) {
            RespLocalCommands.Reply r = local.handle(request);
            if (r.close()) {
                closing = true;
            }
            return new Slot(r.reply(), r.close());
        }
        return switch (RespCommands.parse(request)) {
            case RespCommands.Rejected rejected -> new Slot(rejected.reply(), false);
            case RespCommands.Command c -> {
                String tooLarge = KvLimitCheck.check(c.command(), limits);
                yield tooLarge != null
                        ? new Slot(new RespReply.ErrorReply(tooLarge), false)
                        : new Slot(c.command());
            }
        };
    }

    /** Dispatches what may start, writes the replies that are ready (in order), adjusts reading. */
    private void pump() {
        while (!waiting.isEmpty()) {
            Slot s = waiting.peek();
            if (s.command != null && running > 0
                    && (running >= maxInFlight || runningReads != s.command.readOnly())) {
                break;
            }
            waiting.poll();
            unwritten.add(s);
            if (s.command != null) {
                execute(s);
            }
        }
        while (!unwritten.isEmpty() && unwritten.peek().reply != null) {
            Slot s = unwritten.poll();
            if (s.closeAfter) {
                ctx.writeAndFlush(s.reply).addListener(ChannelFutureListener.CLOSE);
                closed = true;
                waiting.clear();
                unwritten.clear();
                return;
            }
            ctx.write(s.reply);
            if (nodeLoop != null) nodeLoop.flushLater(ctx.channel());
        }
        updateAutoRead();
    }

    private void execute(Slot s) {
        running++;
        runningReads = s.command.readOnly();
        CompletableFuture<KvResult> future;
        try {
            future = service.execute(s.command, session);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        if (future.isDone()) {
            // Already answered (e.g. refused at once): no need to hop through the event loop.
            finish(s, future.handle((r, e) -> reply(r, e)).join());
            return;
        }
        future.whenComplete((result, error) -> {
            if (ctx.executor().inEventLoop()) {
                completed(s, reply(result, error));
            } else {
                ctx.executor().execute(() -> completed(s, reply(result, error)));
            }
        });
    }

    /** On the connection's loop: the command's reply is known. */
    private void completed(Slot s, RespReply reply) {
        if (closed) return;
        finish(s, reply);
        pump();
        if (nodeLoop == null) ctx.flush();
    }

    private void finish(Slot s, RespReply reply) {
        s.reply = reply;
        running--;
    }

    private RespReply reply(KvResult result, Throwable error) {
        if (error == null) {
            return RespReplies.of(result);
        }
        RequestFailure failure = Failures.requestFailure(error);
        if (failure != null) {
            return RespReplies.of(failure);
        }
        log.error("KV service failed unexpectedly", Failures.unwrap(error));
        return RespReply.err("internal error: " + Failures.unwrap(error));
    }

    private void updateAutoRead() {
        if (closed) {
            return;
        }
        int pending = waiting.size() + unwritten.size();
        boolean reading = ctx.channel().config().isAutoRead();
        if (reading && (closing || pending >= maxInFlight || !ctx.channel().isWritable())) {
            ctx.channel().config().setAutoRead(false);
        } else if (!reading && !closing && pending <= maxInFlight / 2 && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
    }
}
