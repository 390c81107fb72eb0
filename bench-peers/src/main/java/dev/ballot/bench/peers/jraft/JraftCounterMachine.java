package dev.ballot.bench.peers.jraft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import dev.ballot.bench.peers.Counter;

/** {@link Counter} as a SOFAJRaft state machine; on the leader it hands each write's result to its {@link JraftWrite}. */
final class JraftCounterMachine extends StateMachineAdapter {

    private final Counter counter = new Counter();

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
