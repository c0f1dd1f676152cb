package dev.balboa.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhiloxTest {

    /** Known-answer vectors published with the Random123 library for Philox4x32 with 10 rounds. */
    @Test
    void matchesPublishedKnownAnswers() {
        int[] out = new int[4];
        Philox.block(0, 0, 0, 0, 0, 0, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
        Philox.block(-1, -1, -1, -1, -1, -1, out);
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, out);
        Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, out);
    }

    @Test
    void uniformMomentsMatchTheDistribution() {
        int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            double u = Philox.uniform(42, i);
            assertTrue(u >= 0 && u < 1);
            sum += u;
            sumSq += u * u;
        }
        double mean = sum / n, var = sumSq / n - mean * mean;
        assertEquals(0.5, mean, 4 * Math.sqrt(1.0 / 12 / n));
        assertEquals(1.0 / 12, var, 0.002);
    }

    @Test
    void normalMomentsMatchTheDistribution() {
        int n = 200_000;
        double sum = 0, sumSq = 0, sum4 = 0;
        for (int i = 0; i < n; i++) {
            double z = Philox.normal(7, i);
            sum += z;
            sumSq += z * z;
            sum4 += z * z * z * z;
        }
        double mean = sum / n;
        assertEquals(0.0, mean, 4 / Math.sqrt(n));
        assertEquals(1.0, sumSq / n, 0.02);
        assertEquals(3.0, sum4 / n, 0.1); // kurtosis of the standard normal
    }

    @Test
    void scaleNeverReachesHigh() {
        assertTrue(Philox.scale(Math.nextDown(1.0), 0, 1, true) < 1.0f);
        assertTrue(Philox.scale(Math.nextDown(1.0), 0, 1, false) < 1.0);
        assertEquals(2.5, Philox.scale(0.25, 2, 4, false), 0);
    }
}
