package dev.sessionrpc.protocol;

/**
 * The limits the codec enforces on what a client sends: how deep JSON may nest and how many
 * requests one batch may carry.
 */
public record CodecLimits(int maxNestingDepth, int maxBatchLength) {

    public static final int DEFAULT_MAX_NESTING_DEPTH = 64;
    public static final int DEFAULT_MAX_BATCH_LENGTH = 100;
    public static final CodecLimits DEFAULTS = new CodecLimits(DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_BATCH_LENGTH);

    public CodecLimits {
        if (maxNestingDepth < 2) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 2, was " + maxNestingDepth);
        }
        if (maxBatchLength < 1) {
            throw new IllegalArgumentException("maxBatchLength must be at least 1, was " + maxBatchLength);
        }
    }
}
