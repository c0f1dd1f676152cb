package dev.balboa.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH auxiliary counter of floating-point work for calls of less than a megaflop: a benchmark
 * adds the (fractional) megaflops of each call to {@link #mflop}, and JMH reports the "mflop"
 * line as MFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class DoubleFlopCounter {
    /** Megaflops done in the current iteration. */
    public double mflop;

    @Setup(Level.Iteration)
    public void reset() {
        mflop = 0;
    }
}
