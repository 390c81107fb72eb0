package dev.ballot.bench.peers.jraft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import dev.ballot.bench.peers.Counter;

/** {@link Counter} as a SOFAJRaft state machine; on the leader it hands each write's result to its {@link JraftWrite}. */
final class JraftCounterMachine extends StateMachineAdapter {

    private final Counter counter = new Counter();
    private volatile long term;

    /** The highest term this node has led or followed in. */
    long term() {
        return term;
    }

    @Override
    public void onLeaderStart(long term) {
        this.term = Math.max(this.term, term);
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        this.term = Math.max(this.term, ctx.getTerm());
    }

    @Override
    public void onApply(Iterator iter) {
        while (iter.hasNext()) {
            long value = counter.apply();
            Closure done = iter.done();
            if (done != null) {
                if (done instanceof JraftWrite w) w.result(Counter.encode(value));
                done.run(Status.OK());
            }
            iter.next();
        }
    }
}
