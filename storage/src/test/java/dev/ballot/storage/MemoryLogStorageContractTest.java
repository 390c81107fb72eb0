package dev.ballot.storage;

import dev.ballot.raft.Entry;
import dev.ballot.raft.LogStorage;
import dev.ballot.raft.MemoryLogStorage;
import java.util.List;

/** The reference model passes the contract too, so the contract is no stricter than the engine's own log. */
class MemoryLogStorageContractTest extends LogStorageContractTest {

    @Override
    LogStorage newLog() {
        return new MemoryLogStorage();
    }

    @Override
    LogStorage logWithPrefixDropped(List<Entry> entries, long upTo) {
        MemoryLogStorage log = new MemoryLogStorage(upTo, entries.get((int) upTo - 1).term());
        log.append(entries.subList((int) upTo, entries.size()));
        return log;
    }
}
