package dev.ballot.node;

/**
 * <strong>Broken on purpose, for tests only.</strong> Each value puts back one defect the runtime
 * once had, so the full-runtime simulator can prove it finds such bugs (a check that never fails
 * proves nothing). Only a test's {@link NodeHost} turns one on; the production host never does.
 */
public enum RuntimeSabotage {
    /**
     * A forwarded write that the leader did not propose is sent again even when later writes of
     * its connection were already sent: it can take effect after them (issue 10, defect 1).
     */
    RETRY_OUT_OF_ORDER,
    /**
     * Forwarded request ids start from 1 at every boot and a reply's sender is not checked: a reply
     * to a request from before a restart can complete another request (issue 10, defect 2).
     */
    REUSE_FORWARD_IDS
}
