package dev.balboa.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH auxiliary counter of floating-point work: a benchmark adds the megaflops of each call to
 * {@link #mflop}, and JMH reports it as a rate, so the "mflop" line reads MFLOP/s (divide by 1000
 * for GFLOP/s).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    /** Megaflops done in the current iteration. */
    public long mflop;

    @Setup(Level.Iteration)
    public void reset() {
        mflop = 0;
    }
}
