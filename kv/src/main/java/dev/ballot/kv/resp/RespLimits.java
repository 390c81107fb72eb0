package dev.ballot.kv.resp;

/**
 * Hard limits the {@link RespDecoder} enforces on client input, checked <em>before</em> anything is
 * allocated or buffered for the element in question. They are a backstop against hostile or broken
 * clients; the server applies its own, tighter and more descriptive limits (key and value size)
 * on decoded requests.
 *
 * @param maxBulkBytes    largest accepted bulk string (one argument), in bytes
 * @param maxArgs         most arguments in one request (the multibulk count, or inline words)
 * @param maxInlineBytes  longest accepted inline command line, without its line terminator
 * @param maxRequestBytes largest accepted multibulk request, counting all of its wire bytes
 */
public record RespLimits(int maxBulkBytes, int maxArgs, int maxInlineBytes, int maxRequestBytes) {

    /** 2 MiB: room for a 1 MiB value plus key and overhead, well under Redis's 512 MiB. */
    public static final int DEFAULT_MAX_BULK_BYTES = 2 * 1024 * 1024;
    /** 1,048,576 arguments, as Redis's default. */
    public static final int DEFAULT_MAX_ARGS = 1024 * 1024;
    /** 64 KiB, as Redis's {@code PROTO_INLINE_MAX_SIZE}. */
    public static final int DEFAULT_MAX_INLINE_BYTES = 64 * 1024;
    /** 4 MiB per request. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    private static final RespLimits DEFAULTS = new RespLimits(
            DEFAULT_MAX_BULK_BYTES, DEFAULT_MAX_ARGS, DEFAULT_MAX_INLINE_BYTES, DEFAULT_MAX_REQUEST_BYTES);

    public RespLimits {
        if (maxBulkBytes < 0) {
            throw new IllegalArgumentException("maxBulkBytes must be >= 0: " + maxBulkBytes);
        }
        if (maxArgs < 1) {
            throw new IllegalArgumentException("maxArgs must be >= 1: " + maxArgs);
        }
        if (maxInlineBytes < 1) {
            throw new IllegalArgumentException("maxInlineBytes must be >= 1: " + maxInlineBytes);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be >= 1: " + maxRequestBytes);
        }
    }

    /** The defaults: 2 MiB bulk, 1,048,576 args, 64 KiB inline, 4 MiB request. */
    public static RespLimits defaults() {
        return DEFAULTS;
    }
}
