package dev.balboa.device.cuda.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test (class or method) that needs the real CUDA driver and a GPU. It is tagged
 * {@code gpu} and skipped, with the provider's reason (for example {@code libcuda.so.1 not found}
 * or {@code no CUDA device ...}), unless {@code libcuda.so.1} loads and reports at least one
 * device. When {@code balboa.cuda.driver} names another library (the emulator), such tests are
 * skipped too: they are meant for the hardware.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag("gpu")
@ExtendWith(RequiresGpu.Condition.class)
public @interface RequiresGpu {

    /** Enables the annotated test only when the system's CUDA driver sees a device. */
    final class Condition implements ExecutionCondition {
        private static volatile ConditionEvaluationResult result;

        static ConditionEvaluationResult evaluate() {
            ConditionEvaluationResult r = result;
            if (r != null) return r;
            String other = System.getProperty(CudaProvider.DRIVER_PROPERTY, "").trim();
            if (!other.isEmpty()) {
                r = ConditionEvaluationResult.disabled("needs a GPU: -D" + CudaProvider.DRIVER_PROPERTY + "=" + other
                        + " replaces libcuda.so.1");
            } else {
                var a = new CudaProvider().probe();
                r = a.available() ? ConditionEvaluationResult.enabled("GPU: " + a.reason())
                        : ConditionEvaluationResult.disabled("needs a GPU: " + a.reason());
            }
            result = r;
            return r;
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) { return evaluate(); }
    }
}
