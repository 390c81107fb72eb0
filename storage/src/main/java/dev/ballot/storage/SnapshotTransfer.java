package dev.ballot.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A snapshot file on its way between two nodes: the leader reads its own file whole
 * ({@link Outgoing}) and the follower writes what arrives into a temporary file ({@link Incoming}),
 * byte for byte, so the file's own checksum (see {@link SnapshotStore}) checks the transfer too.
 * Nothing here is Raft: offsets and bytes only.
 */
public final class SnapshotTransfer {

    private SnapshotTransfer() {}

    /** The leader's side: a snapshot file opened whole. Not thread-safe; close it when done. */
    public static final class Outgoing implements Closeable {
        private final SnapshotMeta meta;
        private final DiskFile file;
        private final long size;

        Outgoing(SnapshotMeta meta, DiskFile file, long size) {
            this.meta = meta;
            this.file = file;
            this.size = size;
        }

        public SnapshotMeta meta() {
            return meta;
        }

        /** The file's size in bytes. */
        public long size() {
            return size;
        }

        /** Bytes {@code [offset, offset + length)}, clamped to the end of the file. */
        public byte[] read(long offset, int length) {
            int n = (int) Math.max(0, Math.min(length, size - offset));
            ByteBuffer buf = ByteBuffer.allocate(n);
            try {
                while (buf.hasRemaining()) {
                    int got = file.read(buf, offset + buf.position());
                    if (got <= 0) throw new StorageException("snapshot " + meta + " ended early at " + (offset + buf.position()));
                }
            } catch (IOException e) {
                throw new StorageException("cannot read snapshot " + meta + " at offset " + offset, e);
            }
            return buf.array();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /**
     * The follower's side: bytes written in order into a temporary file, which becomes a snapshot
     * of the store only once it is whole, synced and verified ({@link #finish}). A crash before
     * leaves a temporary file that restart deletes: a half-received snapshot is never used.
     * Not thread-safe.
     */
    public static final class Incoming implements Closeable {
        private final SnapshotStore store;
        private final Disk disk;
        private final Path tmp;
        private final DiskFile file;
        private final long index;
        private final long term;
        private long received;
        private boolean closed;

        Incoming(SnapshotStore store, Disk disk, Path tmp, DiskFile file, long index, long term) {
            this.store = store;
            this.disk = disk;
            this.tmp = tmp;
            this.file = file;
            this.index = index;
            this.term = term;
        }

        public long index() {
            return index;
        }

        public long term() {
            return term;
        }

        /** Bytes held from offset 0 on: where the next chunk must start. */
        public long received() {
            return received;
        }

        /** Appends the next bytes of the file (durable only after {@link #finish}). */
        public void append(byte[] data) {
            if (closed) throw new IllegalStateException("the transfer of snapshot " + index + "@" + term + " is closed");
            try {
                file.write(ByteBuffer.wrap(data), received);
                received += data.length;
            } catch (IOException e) {
                throw new StorageException("cannot write the snapshot being received to " + tmp, e);
            }
        }

        /**
         * The whole file is here: syncs it, verifies its checksum and that it is the snapshot
         * announced, and puts it in place durably beside the store's own snapshots.
         *
         * @throws StorageException if it fails verification (the file is deleted) or cannot be stored
         */
        public SnapshotMeta finish() {
            try {
                file.force();
                file.close();
                closed = true;
                SnapshotMeta meta = store.verify(tmp);
                if (meta.lastIndex() != index || meta.lastTerm() != term) {
                    throw new StorageException("the snapshot received covers " + meta.lastIndex() + "@" + meta.lastTerm()
                            + ", not the announced " + index + "@" + term);
                }
                store.putInPlace(tmp, meta);
                return meta;
            } catch (IOException e) {
                discard();
                throw new StorageException("cannot store the snapshot received in " + tmp, e);
            } catch (StorageException e) {
                discard();
                throw e;
            }
        }

        /** Abandons the transfer: the temporary file is deleted. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    file.close();
                } catch (IOException e) {
                    throw new StorageException("cannot close " + tmp, e);
                }
            }
            discard();
        }

        private void discard() {
            try {
                if (disk.exists(tmp)) disk.delete(tmp);
            } catch (IOException e) {
                throw new StorageException("cannot delete " + tmp, e);
            }
        }
    }
}
