package dev.balboa.spi;

import static dev.balboa.spi.DType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DTypeTest {

    /** Expected results are torch.promote_types (int16 replaced by int32, which Balboa has instead). */
    @Test
    void promotionFollowsTorch() {
        assertEquals(FLOAT32, promote(INT64, FLOAT32));
        assertEquals(FLOAT16, promote(FLOAT16, INT64));
        assertEquals(FLOAT32, promote(FLOAT16, BFLOAT16));
        assertEquals(FLOAT64, promote(FLOAT32, FLOAT64));
        assertEquals(INT64, promote(INT32, INT64));
        assertEquals(INT32, promote(UINT8, INT8));
        assertEquals(UINT8, promote(BOOL, UINT8));
        assertEquals(INT8, promote(INT8, BOOL));
        assertEquals(BOOL, promote(BOOL, BOOL));
        for (DType a : values()) for (DType b : values()) assertEquals(promote(a, b), promote(b, a));
    }

    @Test
    void parsesTorchNames() {
        assertEquals(FLOAT32, DType.of("float"));
        assertEquals(INT64, DType.of("long"));
        assertEquals(BFLOAT16, DType.of("bfloat16"));
        var e = assertThrows(IllegalArgumentException.class, () -> DType.of("complex64"));
        assertEquals(true, e.getMessage().contains("complex64"));
    }

    @Test
    void deviceParsing() {
        assertEquals(Device.CPU, Device.of("cpu"));
        assertEquals(new Device("cuda", 1), Device.of("cuda:1"));
        assertEquals("cuda:1", Device.of("cuda:1").toString());
        assertThrows(IllegalArgumentException.class, () -> Device.of("cuda:x"));
        assertThrows(IllegalArgumentException.class, () -> Device.of("CUDA"));
        assertThrows(IllegalArgumentException.class, () -> new Device("cuda", -1));
    }
}
