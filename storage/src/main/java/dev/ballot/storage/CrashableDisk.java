package dev.ballot.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * An in-memory {@link Disk} that can lose power.
 *
 * <h2>Model</h2>
 * Every file is an inode with two versions of its content: the <em>durable</em> bytes (what the
 * platters hold) and the <em>current</em> bytes (what reads see: the page cache). Each
 * {@link DiskFile#write write} and shrinking {@link DiskFile#truncate truncate} changes the current
 * bytes and is queued as a pending operation of that inode; {@link DiskFile#force force} makes the
 * current bytes durable and clears the queue.
 *
 * <p>Every directory likewise holds a durable set of names and the current set, plus the pending
 * namespace operations since its last {@link #syncDirectory}: file creations (by {@link #open}
 * with {@code create}), renames and deletions. Renames must stay within one directory (all that
 * storage does). A file's name and its content are independent: a created, written and forced
 * file whose directory was not synced may vanish, and a file whose creation was synced but whose
 * writes were not forced comes back empty (or with part of them).
 *
 * <p>{@link #crash(Random)} returns the disk as it is found after a power loss at this instant:
 * <ul>
 *   <li>each directory keeps its durable names plus a random <em>prefix</em> of its pending
 *       namespace operations (so a rename not followed by a directory sync may or may not
 *       survive, but never before the creation it depends on);</li>
 *   <li>each surviving file keeps its durable content plus a random prefix of its pending
 *       operations; the first operation not kept, if it is a write, may be <em>torn</em>: only a
 *       prefix of its bytes reaches the disk, and then either the file ends there or (as on
 *       file systems that update the size before the data) the rest of the write's range beyond
 *       the old end of file reads as zeros;</li>
 *   <li>files that were open but unlinked are gone; nothing is pending any more.</li>
 * </ul>
 * Operations are assumed to reach the disk in the order they were issued (per file and per
 * directory). Directory creation is durable at once by default (storage never syncs a parent
 * directory after creating one); construct with {@code durableMkdir = false} to also queue
 * directory creations as pending namespace operations of the parent.
 *
 * <h2>Faults</h2>
 * Operations are numbered from 1 in the order they are issued (every {@link Op}; {@link #exists}
 * and {@link DiskFile#close} are not counted and never fail).
 * {@link #crashAtOperation(long)} makes that operation and every later one throw an IOException
 * (the process "dies"; take {@link #crash(Random)} afterwards for the disk it leaves behind).
 * {@link #failOperation(long)} and {@link #failNext(Op)} make a single operation throw and the
 * disk carry on. {@link #setHook(Hook)} runs code (on the calling thread, outside the disk's
 * lock) before each operation, e.g. to hold the storage thread inside a {@code force}.
 *
 * <p>Thread-safe: every operation runs under the disk's lock.
 */
public final class CrashableDisk implements Disk {

    public enum Op { OPEN, LIST, RENAME, DELETE, SYNC_DIRECTORY, CREATE_DIRECTORIES, SIZE, READ, WRITE, TRUNCATE, FORCE }

    /** Runs before every counted operation, on the thread issuing it. */
    @FunctionalInterface
    public interface Hook {
        void before(Op op, Path path) throws IOException;
    }

    private sealed interface FileOp permits Write, Truncate {}

    private record Write(long position, byte[] bytes) implements FileOp {}

    private record Truncate(long size) implements FileOp {}

    private sealed interface NsOp permits Link, Rename, Unlink {}

    private record Link(String name, Object node) implements NsOp {}

    private record Rename(String from, String to, Object node) implements NsOp {}

    private record Unlink(String name) implements NsOp {}

    /** A growable byte array. */
    private static final class Bytes {
        byte[] data;
        int size;

        Bytes(byte[] initial) {
            data = initial.clone();
            size = initial.length;
        }

        void apply(FileOp op) {
            switch (op) {
                case Write w -> write(w.position(), w.bytes(), w.bytes().length);
                case Truncate t -> {
                    if (t.size() < size) {
                        Arrays.fill(data, (int) t.size(), size, (byte) 0);
                        size = (int) t.size();
                    }
                }
            }
        }

        void write(long position, byte[] bytes, int length) {
            extendTo(position + length);
            System.arraycopy(bytes, 0, data, (int) position, length);
        }

        void extendTo(long newSize) {
            if (newSize > Integer.MAX_VALUE) throw new IllegalArgumentException("file too large for CrashableDisk");
            if (newSize > data.length) data = Arrays.copyOf(data, (int) Math.max(newSize, data.length * 2L));
            if (newSize > size) size = (int) newSize;
        }

        byte[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    private static final class FileNode {
        byte[] durable;
        final Bytes current;
        final List<FileOp> pending = new ArrayList<>();

        FileNode(byte[] content) {
            durable = content.clone();
            current = new Bytes(content);
        }
    }

    private static final class DirNode {
        /** name -> FileNode or DirNode */
        final TreeMap<String, Object> current = new TreeMap<>();
        TreeMap<String, Object> durable = new TreeMap<>();
        final List<NsOp> pending = new ArrayList<>();
    }

    private final boolean durableMkdir;
    private final DirNode root;
    private final java.util.Set<Path> locked = new java.util.HashSet<>();
    private volatile Hook hook = (op, path) -> {};
    private long operations;
    private long crashAt = Long.MAX_VALUE;
    private long failAt = -1;
    private Op failNextOp;
    private boolean crashed;
    private long forces;
    private long directorySyncs;

    public CrashableDisk() {
        this(true);
    }

    public CrashableDisk(boolean durableMkdir) {
        this(durableMkdir, new DirNode());
    }

    private CrashableDisk(boolean durableMkdir, DirNode root) {
        this.durableMkdir = durableMkdir;
        this.root = root;
    }

    // ---- fault control ------------------------------------------------------------------------

    /** Power is lost when operation number {@code n} is issued: it and every later operation throw. */
    public synchronized void crashAtOperation(long n) {
        crashAt = n;
    }

    /** Operation number {@code n} throws an IOException; the disk carries on afterwards. */
    public synchronized void failOperation(long n) {
        failAt = n;
    }

    /** The next operation of this kind throws an IOException; the disk carries on afterwards. */
    public synchronized void failNext(Op op) {
        failNextOp = op;
    }

    public void setHook(Hook hook) {
        this.hook = hook;
    }

    public synchronized boolean isCrashed() {
        return crashed;
    }

    public synchronized long operationCount() {
        return operations;
    }

    public synchronized long forceCount() {
        return forces;
    }

    public synchronized long directorySyncCount() {
        return directorySyncs;
    }

    /** The current (page-cache) content of a file, for tests that inspect or damage files. */
    public synchronized byte[] contents(Path path) throws IOException {
        return fileAt(path).current.toArray();
    }

    /** Replaces a file's content durably (as if written and forced), for tests that damage files. */
    public synchronized void overwrite(Path path, byte[] content) throws IOException {
        FileNode f = fileAt(path);
        f.current.apply(new Truncate(0));
        f.current.write(0, content, content.length);
        f.durable = content.clone();
        f.pending.clear();
    }

    /** Names of everything directly in {@code dir} (files and directories), for diagnostics. */
    public synchronized List<String> listAll(Path dir) throws IOException {
        return List.copyOf(dirAt(dir).current.keySet());
    }

    // ---- power loss ---------------------------------------------------------------------------

    /**
     * The disk left behind by a power loss now (see the class comment), with nothing pending and
     * no faults armed. This disk is not changed.
     */
    public synchronized CrashableDisk crash(Random random) {
        return new CrashableDisk(durableMkdir, crashDir(root, random));
    }

    private static DirNode crashDir(DirNode dir, Random random) {
        TreeMap<String, Object> names = new TreeMap<>(dir.durable);
        int keep = random.nextInt(dir.pending.size() + 1);
        for (NsOp op : dir.pending.subList(0, keep)) {
            switch (op) {
                case Link l -> names.put(l.name(), l.node());
                case Rename r -> {
                    names.remove(r.from());
                    names.put(r.to(), r.node());
                }
                case Unlink u -> names.remove(u.name());
            }
        }
        DirNode out = new DirNode();
        for (Map.Entry<String, Object> e : names.entrySet()) {
            Object node = e.getValue() instanceof DirNode d ? crashDir(d, random) : crashFile((FileNode) e.getValue(), random);
            out.current.put(e.getKey(), node);
        }
        out.durable = new TreeMap<>(out.current);
        return out;
    }

    private static FileNode crashFile(FileNode f, Random random) {
        Bytes b = new Bytes(f.durable);
        int n = f.pending.size();
        int keep = random.nextInt(n + 1);
        for (FileOp op : f.pending.subList(0, keep)) b.apply(op);
        if (keep < n && f.pending.get(keep) instanceof Write w && w.bytes().length > 1 && random.nextBoolean()) {
            int torn = 1 + random.nextInt(w.bytes().length - 1);
            b.write(w.position(), w.bytes(), torn);
            if (random.nextBoolean()) b.extendTo(w.position() + w.bytes().length); // size reached disk, data did not
        }
        return new FileNode(b.toArray());
    }

    // ---- Disk ---------------------------------------------------------------------------------

    @Override
    public DiskFile open(Path path, boolean create) throws IOException {
        Path p = normalize(path);
        before(Op.OPEN, p);
        synchronized (this) {
            DirNode parent = parentOf(p);
            String name = p.getFileName().toString();
            Object node = parent.current.get(name);
            if (node instanceof DirNode) throw new IOException(p + " is a directory");
            FileNode f = (FileNode) node;
            if (f == null) {
                if (!create) throw new NoSuchFileException(p.toString());
                f = new FileNode(new byte[0]);
                parent.current.put(name, f);
                parent.pending.add(new Link(name, f));
            }
            return new Handle(p, f);
        }
    }

    @Override
    public synchronized boolean exists(Path path) {
        Path p = normalize(path);
        if (p.getNameCount() == 0) return true;
        DirNode parent = lookupDir(p.getParent());
        return parent != null && parent.current.containsKey(p.getFileName().toString());
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        Path p = normalize(dir);
        before(Op.LIST, p);
        synchronized (this) {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, Object> e : dirAt(p).current.entrySet()) {
                if (e.getValue() instanceof FileNode) names.add(e.getKey());
            }
            return names;
        }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Path f = normalize(from);
        Path t = normalize(to);
        before(Op.RENAME, f);
        synchronized (this) {
            if (!f.getParent().equals(t.getParent())) {
                throw new IOException("CrashableDisk models renames within one directory only: " + f + " -> " + t);
            }
            DirNode parent = parentOf(f);
            String fromName = f.getFileName().toString();
            String toName = t.getFileName().toString();
            if (!(parent.current.get(fromName) instanceof FileNode node)) throw new NoSuchFileException(f.toString());
            if (parent.current.get(toName) instanceof DirNode) throw new IOException(t + " is a directory");
            if (fromName.equals(toName)) return;
            parent.current.remove(fromName);
            parent.current.put(toName, node);
            parent.pending.add(new Rename(fromName, toName, node));
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        Path p = normalize(path);
        before(Op.DELETE, p);
        synchronized (this) {
            DirNode parent = lookupDir(p.getParent());
            if (parent == null) return;
            String name = p.getFileName().toString();
            Object node = parent.current.get(name);
            if (node == null) return;
            if (node instanceof DirNode) throw new IOException("CrashableDisk does not delete directories: " + p);
            parent.current.remove(name);
            parent.pending.add(new Unlink(name));
        }
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        Path p = normalize(dir);
        before(Op.SYNC_DIRECTORY, p);
        synchronized (this) {
            DirNode d = dirAt(p);
            d.durable = new TreeMap<>(d.current);
            d.pending.clear();
            directorySyncs++;
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Path p = normalize(dir);
        before(Op.CREATE_DIRECTORIES, p);
        synchronized (this) {
            DirNode d = root;
            for (Path part : p) {
                String name = part.toString();
                Object node = d.current.get(name);
                if (node instanceof FileNode) throw new FileAlreadyExistsException(p + " (a file is in the way)");
                if (node == null) {
                    DirNode created = new DirNode();
                    d.current.put(name, created);
                    if (durableMkdir) d.durable.put(name, created);
                    else d.pending.add(new Link(name, created));
                    node = created;
                }
                d = (DirNode) node;
            }
        }
    }

    /**
     * Locks {@code dir} for one user of this disk, like the OS lock of {@link DirectoryLock}: a
     * second lock of the same directory fails until the first is closed, and a power loss
     * ({@link #crash}) releases every lock (the disk it returns has none).
     */
    @Override
    public Closeable lock(Path dir) {
        Path p = normalize(dir);
        try {
            createDirectories(p);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + p + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            if (!locked.add(p)) {
                throw new StorageException("data directory " + p + " is already in use (locked on this disk)");
            }
        }
        return () -> {
            synchronized (CrashableDisk.this) {
                locked.remove(p);
            }
        };
    }

    /**
     * The process using this disk died but the machine did not: its directory locks are released
     * and everything it wrote stays as it is (in the page cache, still not durable).
     */
    public synchronized void releaseLocks() {
        locked.clear();
    }

    // ---- internals ----------------------------------------------------------------------------

    private void before(Op op, Path path) throws IOException {
        hook.before(op, path);
        synchronized (this) {
            long n = ++operations;
            if (crashed || n >= crashAt) {
                crashed = true;
                throw new IOException("simulated power loss (operation " + n + ": " + op + " " + path + ")");
            }
            if (n == failAt || op == failNextOp) {
                if (n == failAt) failAt = -1;
                if (op == failNextOp) failNextOp = null;
                throw new IOException("injected failure (operation " + n + ": " + op + " " + path + ")");
            }
        }
    }

    private static Path normalize(Path path) {
        if (!path.isAbsolute()) throw new IllegalArgumentException("CrashableDisk wants absolute paths, got " + path);
        return path.normalize();
    }

    private DirNode lookupDir(Path dir) {
        if (dir == null) return null;
        DirNode d = root;
        for (Path part : dir) {
            if (!(d.current.get(part.toString()) instanceof DirNode next)) return null;
            d = next;
        }
        return d;
    }

    private DirNode dirAt(Path dir) throws IOException {
        DirNode d = lookupDir(dir);
        if (d == null) throw new NoSuchFileException(dir.toString(), null, "no such directory");
        return d;
    }

    private DirNode parentOf(Path file) throws IOException {
        if (file.getNameCount() == 0) throw new IOException("the root is not a file");
        return dirAt(file.getParent());
    }

    private FileNode fileAt(Path path) throws IOException {
        Path p = normalize(path);
        if (!(parentOf(p).current.get(p.getFileName().toString()) instanceof FileNode f)) {
            throw new NoSuchFileException(p.toString());
        }
        return f;
    }

    private final class Handle implements DiskFile {
        private final Path path;
        private final FileNode node;
        private boolean closed;

        Handle(Path path, FileNode node) {
            this.path = path;
            this.node = node;
        }

        private void check() throws IOException {
            if (closed) throw new IOException(path + " is closed");
        }

        @Override
        public long size() throws IOException {
            before(Op.SIZE, path);
            synchronized (CrashableDisk.this) {
                check();
                return node.current.size;
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            before(Op.READ, path);
            synchronized (CrashableDisk.this) {
                check();
                if (position >= node.current.size) return 0;
                int n = (int) Math.min(dst.remaining(), node.current.size - position);
                dst.put(node.current.data, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            before(Op.WRITE, path);
            synchronized (CrashableDisk.this) {
                check();
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                if (bytes.length == 0) return;
                Write w = new Write(position, bytes);
                node.current.apply(w);
                node.pending.add(w);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            before(Op.TRUNCATE, path);
            synchronized (CrashableDisk.this) {
                check();
                if (size >= node.current.size) return; // like FileChannel: never extends
                Truncate t = new Truncate(size);
                node.current.apply(t);
                node.pending.add(t);
            }
        }

        @Override
        public void force() throws IOException {
            before(Op.FORCE, path);
            synchronized (CrashableDisk.this) {
                check();
                node.durable = node.current.toArray();
                node.pending.clear();
                forces++;
            }
        }

        @Override
        public void close() {
            synchronized (CrashableDisk.this) {
                closed = true;
            }
        }
    }
}
