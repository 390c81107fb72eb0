package dev.ballot.kv.server;

import dev.ballot.kv.resp.RespReply;
import dev.ballot.kv.sm.KvResult;
import dev.ballot.node.RequestFailure;

import java.util.ArrayList;
import java.util.List;

/** The RESP replies for key-value results and for the ways a request can fail (docs/resp.md, "Server"). */
public final class RespReplies {

    public static final String UNKNOWN_OUTCOME =
            "UNKNOWN outcome of the write is unknown (it may or may not have been applied)";

    private RespReplies() {}

    /** A state machine result as Redis would send it. */
    public static RespReply of(KvResult result) {
        return switch (result) {
            case KvResult.Ok ok -> RespReply.OK;
            case KvResult.Nil nil -> RespReply.NIL;
            case KvResult.Integer i -> RespReply.integer(i.value());
            case KvResult.Bulk b -> RespReply.bulk(b.value());
            case KvResult.Error e -> new RespReply.ErrorReply(e.message());
            case KvResult.Multi m -> {
                List<RespReply> items = new ArrayList<>(m.items().size());
                for (KvResult.BulkOrNil item : m.items()) {
                    items.add(item instanceof KvResult.Bulk b ? RespReply.bulk(b.value()) : RespReply.NIL);
                }
                yield RespReply.array(items);
            }
        };
    }

    /**
     * The error reply for a failed request. Each code says what the client may assume: TRYAGAIN,
     * BUSY, TIMEOUT and SHUTDOWN mean the command had no effect; UNKNOWN means it may have.
     */
    public static RespReply.ErrorReply of(RequestFailure failure) {
        return new RespReply.ErrorReply(switch (failure.kind()) {
            case NOT_LEADER -> failure.leaderHint() != 0
                    ? "TRYAGAIN not leader, leader is " + failure.leaderHint()
                    : "TRYAGAIN not leader, leader is unknown";
            case NO_LEADER -> "TRYAGAIN no leader";
            case BUSY -> "BUSY too many pending requests";
            case TIMEOUT -> "TIMEOUT request timed out without taking effect, safe to retry";
            case UNKNOWN_OUTCOME -> UNKNOWN_OUTCOME;
            case SHUTDOWN -> "SHUTDOWN server is shutting down";
        });
    }
}
