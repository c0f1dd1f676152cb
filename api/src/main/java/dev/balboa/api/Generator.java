package dev.balboa.api;

/**
 * A seedable source of random numbers for tensor creation, dropout and shuffling. It is a
 * counter-based generator (Philox4x32-10): a seed plus an offset that each draw advances, so the
 * same seed gives the same numbers on every run, device and thread count. Thread-safe.
 */
public final class Generator {
    /** The seed of the default generator, as in PyTorch. */
    public static final long DEFAULT_SEED = 67280421310721L;
    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    private long seed;
    private long offset;

    /**
     * A generator's full state, for checkpoints.
     *
     * @param seed   the seed
     * @param offset how many counters have been used
     */
    public record State(long seed, long offset) {}

    /** A generator with the given seed. */
    public Generator(long seed) {
        this.seed = seed;
    }

    /** The generator used when none is given. */
    public static Generator defaultGenerator() { return DEFAULT; }

    /** Seeds the default generator ({@code torch.manual_seed}). */
    public static void manualSeed(long seed) { DEFAULT.setSeed(seed); }

    /** Restarts this generator's stream from {@code seed}. */
    public synchronized Generator setSeed(long seed) {
        this.seed = seed;
        this.offset = 0;
        return this;
    }

    /** The current seed. */
    public synchronized long seed() { return seed; }

    /** The current state (seed and offset). */
    public synchronized State state() { return new State(seed, offset); }

    /** Restores a state returned by {@link #state()}. */
    public synchronized void setState(State state) {
        this.seed = state.seed();
        this.offset = state.offset();
    }

    /** Reserves {@code count} counters and returns the first. */
    synchronized long reserve(long count) {
        long first = offset;
        offset += count;
        return first;
    }

    /** A uniform double in [0, 1) drawn from this generator (for host-side sampling such as shuffling). */
    public double nextDouble() { return dev.balboa.spi.Philox.uniform(seed(), reserveOne()); }

    /** A uniform long in [0, bound) drawn from this generator. */
    public long nextLong(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("nextLong: bound must be positive, got " + bound);
        return Math.min(bound - 1, (long) Math.floor(nextDouble() * bound));
    }

    private synchronized long reserveOne() { return offset++; }

    @Override
    public synchronized String toString() { return "Generator[seed=" + seed + ", offset=" + offset + "]"; }
}
