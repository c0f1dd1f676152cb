package dev.balboa.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The api module's tests run without dev.balboa.autograd on the module path: inference works and
 * the autograd entry points say which module is missing.
 */
class WithoutAutogradTest {

    @Test
    void autogradModuleIsAbsentHere() {
        assertFalse(ModuleLayer.boot().findModule("dev.balboa.autograd").isPresent());
        assertFalse(AutogradSurface.available());
    }

    @Test
    void inferenceWorksAndBackwardNamesTheMissingModule() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad_();
        Tensor y = x.matmul(x).relu().sum();
        assertArrayEquals(new float[] {54}, y.toFloatArray());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("dev.balboa.autograd"), e.getMessage());
        assertTrue(e.getMessage().contains("backward"), e.getMessage());
        IllegalStateException h = assertThrows(IllegalStateException.class, () -> x.registerHook(g -> g));
        assertTrue(h.getMessage().contains("dev.balboa.autograd"), h.getMessage());
    }
}
