package dev.ballot.bench.peers.ratis;

import dev.ballot.bench.peers.Counter;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

import java.util.concurrent.CompletableFuture;

/** {@link Counter} as a Ratis state machine (Ratis calls applyTransaction in log order, one at a time). */
final class RatisCounterMachine extends BaseStateMachine {

    private final Counter counter = new Counter();

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long value = counter.apply();
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(Counter.encode(value))));
    }
}
