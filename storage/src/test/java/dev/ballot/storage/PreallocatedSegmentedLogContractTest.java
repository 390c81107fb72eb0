package dev.ballot.storage;

/** The log storage contract again, with segment files preallocated (as in production). */
class PreallocatedSegmentedLogContractTest extends SegmentedLogContractTest {

    @Override
    boolean preallocate() {
        return true;
    }
}
