package dev.ballot.storage;

import java.io.Closeable;
import dev.ballot.raft.HardState;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one node keeps on disk, in one data directory:
 * <pre>
 *   LOCK                    held while the node runs; holds its pid
 *   hardstate               current term, votedFor, commit index
 *   log/log-*.seg           the segmented log
 *   snapshots/*.snap        the newest snapshots
 * </pre>
 * Opening takes the directory lock first, so two processes never share a directory.
 */
public final class NodeStorage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeStorage.class);

    private final Closeable lock;
    private final SegmentedLog segmentedLog;
    private final HardStateFile hardStateFile;
    private final SnapshotStore snapshots;
    private final HardState initialHardState;

    private NodeStorage(Closeable lock, SegmentedLog segmentedLog, HardStateFile hardStateFile,
                        SnapshotStore snapshots, HardState initialHardState) {
        this.lock = lock;
        this.segmentedLog = segmentedLog;
        this.hardStateFile = hardStateFile;
        this.snapshots = snapshots;
        this.initialHardState = initialHardState;
    }

    public static NodeStorage open(Path dataDir, StorageOptions options) {
        return open(new RealDisk(), dataDir, options);
    }

    public static NodeStorage open(Disk disk, Path dataDir, StorageOptions options) {
        Closeable lock = disk.lock(dataDir);
        try {
            SegmentedLog segmentedLog = SegmentedLog.open(disk, dataDir.resolve("log"), options.segmentBytes(),
                    options.durability(), options.preallocate());
            HardStateFile hardStateFile = new HardStateFile(disk, dataDir);
            HardState hs;
            try {
                hs = hardStateFile.load();
                if (hs.commitIndex() > segmentedLog.lastIndex()) {
                    throw new StorageException(dataDir + ": the hard state says index " + hs.commitIndex()
                            + " is committed but the log ends at " + segmentedLog.lastIndex()
                            + ": committed entries are missing. Restore this node from a snapshot or a peer.");
                }
            } catch (RuntimeException e) {
                segmentedLog.close();
                throw e;
            }
            SnapshotStore snapshots = new SnapshotStore(disk, dataDir.resolve("snapshots"), options.snapshotsRetained());
            log.info("opened data directory {} (term {}, commit {}, log [{}, {}], durability {})", dataDir,
                    hs.currentTerm(), hs.commitIndex(), segmentedLog.firstIndex(), segmentedLog.lastIndex(),
                    options.durability());
            return new NodeStorage(lock, segmentedLog, hardStateFile, snapshots, hs);
        } catch (RuntimeException e) {
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public SegmentedLog log() {
        return segmentedLog;
    }

    public HardStateFile hardStateFile() {
        return hardStateFile;
    }

    /** The hard state found on disk when this storage was opened. */
    public HardState initialHardState() {
        return initialHardState;
    }

    public SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public void close() throws IOException {
        try {
            segmentedLog.close();
        } finally {
            lock.close();
        }
    }
}
