package dev.balboa.device.cuda.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.balboa.api.Devices;
import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.device.cuda.internal.CudaProvider;
import dev.balboa.device.cuda.internal.NativeTools;
import dev.balboa.nn.Linear;
import dev.balboa.nn.Loss;
import dev.balboa.nn.Module;
import dev.balboa.nn.ReLU;
import dev.balboa.nn.Sequential;
import dev.balboa.nn.optim.SGD;
import dev.balboa.spi.DType;
import dev.balboa.spi.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training through the public api on the "cuda" device (the driver emulator, found by
 * {@link Devices} through {@code -Dbalboa.cuda.driver}) gives the losses and weights of the same
 * training on the CPU device: a two-layer MLP (Linear, ReLU, Linear), cross-entropy, SGD with
 * momentum, identical initial weights and data, ten steps.
 *
 * <p>The surefire configuration forks one JVM per test class, so the property set here before the
 * first use of {@link Devices} is the one its discovery sees. Skipped without gcc.
 */
class CudaTrainingTest {
    private static final Device CUDA = new Device("cuda", 0);

    @BeforeAll
    static void pointDiscoveryAtTheEmulator() throws Exception {
        String lib = NativeTools.emulator().toString();
        String preset = System.getProperty(CudaProvider.DRIVER_PROPERTY);
        if (preset == null) System.setProperty(CudaProvider.DRIVER_PROPERTY, lib);
        assertTrue(Devices.isAvailable(CUDA), Devices.describe());
    }

    private static Module mlp(Generator gen) {
        return new Sequential(new Linear(8, 32, true, gen), new ReLU(), new Linear(32, 4, true, gen));
    }

    private record Run(List<Double> losses, Map<String, Tensor> finalState) {}

    private static Run train(Module model, Device device, Tensor x, Tensor y, int steps) {
        model.to(device);
        Tensor xd = x.to(device);
        Tensor yd = y.to(device);
        var opt = new SGD(model.parameters(), new SGD.Options().lr(0.1).momentum(0.9));
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            Tensor loss = Loss.crossEntropy(model.forward(xd), yd);
            assertEquals(device, loss.device());
            opt.zeroGrad(true);
            loss.backward();
            opt.step();
            losses.add(loss.item());
        }
        return new Run(losses, model.stateDict());
    }

    @Test
    void anMlpTrainsToTheSameLossesOnCudaAsOnTheCpu() {
        Generator data = new Generator(42);
        Tensor x = Tensor.randn(new long[] {16, 8}, data, DType.FLOAT32, Device.CPU);
        long[] labels = new long[16];
        for (int i = 0; i < labels.length; i++) labels[i] = (i * 7) % 4;
        Tensor y = Tensor.of(labels, 16);

        Module onCpu = mlp(new Generator(7));
        onCpu.to(Device.CPU);
        Module onCuda = mlp(new Generator(7));
        onCuda.to(Device.CPU);
        onCuda.loadStateDict(onCpu.stateDict(), true);

        int steps = 10;
        Run cpu = train(onCpu, Device.CPU, x, y, steps);
        Run cuda = train(onCuda, CUDA, x, y, steps);

        for (int i = 0; i < steps; i++) {
            double c = cpu.losses().get(i), g = cuda.losses().get(i);
            assertTrue(Double.isFinite(g) && Math.abs(c - g) <= 1e-4 * Math.abs(c) + 1e-6,
                    "step " + i + ": cpu " + c + " cuda " + g + "\ncpu  " + cpu.losses() + "\ncuda " + cuda.losses());
        }
        assertTrue(cpu.losses().get(steps - 1) < 0.8 * cpu.losses().get(0), "the model should learn: " + cpu.losses());
        for (var e : cpu.finalState().entrySet()) {
            Tensor gpu = cuda.finalState().get(e.getKey());
            assertEquals(CUDA, gpu.device(), e.getKey());
            float[] a = e.getValue().toFloatArray(), b = gpu.to(Device.CPU).toFloatArray();
            assertEquals(a.length, b.length, e.getKey());
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 1e-4 * Math.abs(a[i]) + 1e-5,
                        e.getKey() + "[" + i + "]: cpu " + a[i] + " cuda " + b[i]);
            }
        }
    }
}
