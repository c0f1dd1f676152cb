package dev.balboa.spi;

/**
 * Fused kernels a device may offer for composites: ops that {@code api} can also run as a
 * sequence of primitive {@link Op}s, offered as one pass over memory for speed. Offering them is
 * optional: a backend that keeps {@link Backend#supportsFused}'s default ({@code false}) simply
 * gets the composition of primitives, with the same results.
 *
 * <p>Before it asks {@link Backend#supportsFused} and calls {@link Backend#executeFused},
 * {@code api} guarantees for every record below:
 * <ul>
 *   <li>all operands have the same dtype (the one passed to {@code supportsFused}), belong to
 *       this backend and are row-major contiguous (any offset);</li>
 *   <li>all operands have the same shape, except where a record documents shapes of its own
 *       ({@link BatchNormTraining}, {@link BatchNormTrainingBackward}, {@link LstmCell},
 *       {@link LstmCellBackward}): their operands have exactly the shapes the record documents,
 *       which {@code api} checks before it calls the kernel;</li>
 *   <li>the operands updated in place ("outputs") do not overlap one another nor the inputs;</li>
 *   <li>no dispatch layer that wants to see primitive ops (a tracer) is active; when gradients
 *       are recorded, {@code api} records the composite itself, so the kernel only computes.</li>
 * </ul>
 * Each record documents its operands and the exact order of its floating-point operations,
 * which is that of the composite {@code api} runs otherwise: a kernel that keeps the order (each
 * hyper-parameter rounded once to the operands' dtype, one rounding per arithmetic operation, no
 * fused multiply-add) gives bit-identical results. Kernels may deviate by a few ulps (e.g. by
 * using FMA), never more. Records with reductions (softmax, batch norm) leave the summation
 * order free and state the precision they require instead.
 *
 * <p>The interface is not sealed: Balboa may add records in later versions, and a backend must
 * answer {@code false} from {@code supportsFused} for records it does not know.
 */
public interface Fused {

    /** A short lower-case name for messages, e.g. {@code "adam_step"}. */
    String name();

    /**
     * One in-place Adam or AdamW step (PyTorch 1.13's {@code torch.optim.Adam}/{@code AdamW}
     * update) for one parameter tensor.
     *
     * <p>Operands: inputs {@code {grad}}; outputs, each read and then updated in place,
     * {@code {param, exp_avg, exp_avg_sq}} and, when {@link #amsgrad}, {@code max_exp_avg_sq}
     * as a fourth. Per element, in the operands' dtype, with every scalar below rounded once to
     * that dtype:
     * <pre>{@code
     * g = maximize ? -grad : grad
     * if decoupledWeightDecay: p = p * (1 - lr * weightDecay)     // scalar computed in double
     * else if weightDecay != 0: g = g + p * weightDecay
     * m = m * beta1;  m = m + g * (1 - beta1)
     * v = v * beta2;  v = v + (g * (1 - beta2)) * g
     * if amsgrad: vmax = max(vmax, v)                              // NaN-propagating
     * denom = sqrt(amsgrad ? vmax : v) / biasCorrection2Sqrt() + eps
     * p = p + (m * -stepSize()) / denom
     * }</pre>
     *
     * @param lr                   the learning rate, {@code >= 0}
     * @param beta1                the decay of the first moment, in [0, 1)
     * @param beta2                the decay of the second moment, in [0, 1)
     * @param eps                  added to the denominator, {@code >= 0}
     * @param weightDecay          the weight decay, {@code >= 0}
     * @param decoupledWeightDecay true for AdamW (decay applied to the parameter), false for Adam (L2 term added to the gradient)
     * @param amsgrad              keep and use the running maximum of the second moment
     * @param maximize             ascend instead of descend
     * @param step                 the step number t of this update, starting at 1 (the bias corrections depend on it)
     */
    record AdamStep(double lr, double beta1, double beta2, double eps, double weightDecay,
                    boolean decoupledWeightDecay, boolean amsgrad, boolean maximize, long step) implements Fused {

        public AdamStep {
            if (step < 1) throw new IllegalArgumentException("adam_step: step must be >= 1, got " + step);
        }

        @Override public String name() { return "adam_step"; }

        /** {@code 1 - beta1^t}, in double. */
        public double biasCorrection1() { return 1 - Math.pow(beta1, step); }

        /** {@code sqrt(1 - beta2^t)}, in double. */
        public double biasCorrection2Sqrt() { return Math.sqrt(1 - Math.pow(beta2, step)); }

        /** {@code lr / (1 - beta1^t)}, in double. */
        public double stepSize() { return lr / biasCorrection1(); }

        /** The number of operands updated in place: 3, or 4 with amsgrad. */
        public int outputCount() { return amsgrad ? 4 : 3; }
    }

    /**
     * One in-place SGD step (PyTorch 1.13's {@code torch.optim.SGD} update) for one parameter
     * tensor.
     *
     * <p>Operands: inputs {@code {grad}}; outputs {@code {param}}, plus {@code momentum_buffer}
     * as a second when {@code momentum != 0}; each read and then updated in place (the buffer is
     * only written, not read, on the {@link #firstStep}). Per element, in the operands' dtype,
     * with every scalar rounded once to that dtype:
     * <pre>{@code
     * d = maximize ? -grad : grad
     * if weightDecay != 0: d = d + p * weightDecay
     * if momentum != 0:
     *     if firstStep: b = d
     *     else:         b = b * momentum;  b = b + d * (1 - dampening)   // "* 1" is exact
     *     d = nesterov ? d + b * momentum : b
     * p = p + d * -lr
     * }</pre>
     *
     * @param lr          the learning rate, {@code >= 0}
     * @param momentum    the momentum factor, {@code >= 0}; 0 means no buffer
     * @param dampening   the dampening of the momentum
     * @param weightDecay the L2 penalty, {@code >= 0}
     * @param nesterov    Nesterov momentum
     * @param maximize    ascend instead of descend
     * @param firstStep   the momentum buffer has no value yet and is set to the (decayed) gradient
     */
    record SgdStep(double lr, double momentum, double dampening, double weightDecay,
                   boolean nesterov, boolean maximize, boolean firstStep) implements Fused {

        @Override public String name() { return "sgd_step"; }

        /** The number of operands updated in place: 1, or 2 with a momentum buffer. */
        public int outputCount() { return momentum != 0 ? 2 : 1; }
    }

    /**
     * One in-place RMSprop step (PyTorch 1.13's {@code torch.optim.RMSprop} update) for one
     * parameter tensor.
     *
     * <p>Operands: inputs {@code {grad}}; outputs, each read and then updated in place,
     * {@code {param, square_avg}}, then {@code momentum_buffer} when {@code momentum > 0}, then
     * {@code grad_avg} when {@link #centered}. Per element, in the operands' dtype, with every
     * scalar rounded once to that dtype:
     * <pre>{@code
     * g = maximize ? -grad : grad
     * if weightDecay != 0: g = g + p * weightDecay
     * s = s * alpha;  s = s + (g * (1 - alpha)) * g
     * if centered: a = a * alpha;  a = a + g * (1 - alpha);  avg = sqrt(s - a * a) + eps
     * else:        avg = sqrt(s) + eps
     * if momentum > 0: b = b * momentum;  b = b + g / avg;  p = p + b * -lr
     * else:            p = p + (g * -lr) / avg
     * }</pre>
     *
     * @param lr          the learning rate, {@code >= 0}
     * @param alpha       the smoothing constant, {@code >= 0}
     * @param eps         added to the denominator, {@code >= 0}
     * @param weightDecay the L2 penalty, {@code >= 0}
     * @param momentum    the momentum factor, {@code >= 0}; 0 means no buffer
     * @param centered    normalise by the estimated variance instead of the second moment
     * @param maximize    ascend instead of descend
     */
    record RmspropStep(double lr, double alpha, double eps, double weightDecay, double momentum,
                       boolean centered, boolean maximize) implements Fused {

        @Override public String name() { return "rmsprop_step"; }

        /** The number of operands updated in place: 2, plus one for a momentum buffer and one when centered. */
        public int outputCount() { return 2 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0); }
    }

    /**
     * One in-place Adagrad step (PyTorch 1.13's {@code torch.optim.Adagrad} update) for one
     * parameter tensor.
     *
     * <p>Operands: inputs {@code {grad}}; outputs {@code {param, sum}}, each read and then updated
     * in place. Per element, in the operands' dtype, with every scalar rounded once to that dtype:
     * <pre>{@code
     * g = maximize ? -grad : grad
     * if weightDecay != 0: g = g + p * weightDecay
     * s = s + g * g
     * p = p + (g * -clr()) / (sqrt(s) + eps)
     * }</pre>
     *
     * @param lr          the learning rate, {@code >= 0}
     * @param lrDecay     the learning-rate decay per step, {@code >= 0}
     * @param weightDecay the L2 penalty, {@code >= 0}
     * @param eps         added to the denominator, {@code >= 0}
     * @param maximize    ascend instead of descend
     * @param step        the step number t of this update, starting at 1
     */
    record AdagradStep(double lr, double lrDecay, double weightDecay, double eps, boolean maximize, long step) implements Fused {

        public AdagradStep {
            if (step < 1) throw new IllegalArgumentException("adagrad_step: step must be >= 1, got " + step);
        }

        @Override public String name() { return "adagrad_step"; }

        /** The decayed learning rate {@code lr / (1 + (t - 1) * lrDecay)}, in double. */
        public double clr() { return lr / (1 + (step - 1) * lrDecay); }
    }

    /**
     * Softmax, or log-softmax, over the last dimension ({@code torch.softmax(x, -1)},
     * {@code torch.log_softmax(x, -1)}).
     *
     * <p>Operands: inputs {@code {x}}; outputs {@code {out}} (fresh, same shape), rank 1 or more
     * with a last dimension of at least 1. Per row, with {@code m} the row's maximum (NaN if any
     * element is NaN) and the row sum accumulated in any order, at least as precisely as the
     * dtype:
     * <pre>{@code
     * softmax:     e = exp(x - m);  out = e / sum(e)
     * log-softmax: out = (x - m) - log(sum(exp(x - m)))
     * }</pre>
     * Results agree with that composite within a few ulps.
     *
     * @param log log-softmax instead of softmax
     */
    record SoftmaxLastDim(boolean log) implements Fused {
        @Override public String name() { return log ? "log_softmax" : "softmax"; }
    }

    /**
     * The gradient of {@link SoftmaxLastDim} with respect to its input.
     *
     * <p>Operands: inputs {@code {grad_out, out}} where {@code out} is the forward's output;
     * outputs {@code {grad_in}} (fresh, same shape). Per row, sums accumulated in any order:
     * <pre>{@code
     * softmax:     grad_in = out * (grad_out - sum(grad_out * out))
     * log-softmax: grad_in = grad_out - exp(out) * sum(grad_out)
     * }</pre>
     *
     * @param log the forward was log-softmax
     */
    record SoftmaxLastDimBackward(boolean log) implements Fused {
        @Override public String name() { return log ? "log_softmax_backward" : "softmax_backward"; }
    }

    /**
     * The gradient of ReLU given its output: {@code grad_in = out > 0 ? grad_out : 0}, element by
     * element (a NaN output gives 0; the 0 is positive). Exact: equal to the composite
     * {@code where(out > 0, grad_out, 0)} bit for bit.
     *
     * <p>Operands: inputs {@code {grad_out, out}}; outputs {@code {grad_in}} (fresh, same shape).
     */
    record ReluBackward() implements Fused {
        @Override public String name() { return "relu_backward"; }
    }

    /**
     * Training-mode batch normalisation over dim 1 ({@code torch.nn.functional.batch_norm} with
     * {@code training=True}, without the running-statistics update, which {@code api} does with
     * small {@code [C]} ops): statistics over every dim but the channel dim.
     *
     * <p>Operands: inputs {@code {x}}, or {@code {x, weight, bias}} when {@link #affine}; outputs
     * {@code {out, mean, var, invstd}}, all fresh. Shapes, in addition to the class's guarantees
     * (same dtype, this backend, contiguous): {@code x} and {@code out} are {@code [N, C, *]}
     * (rank 2 or more, every dim at least 1, so each channel has {@code M = numel / C >= 1}
     * elements: {@code N} runs of {@code inner = numel / (N * C)} consecutive elements,
     * {@code C * inner} apart); {@code weight}, {@code bias}, {@code mean}, {@code var} and
     * {@code invstd} are {@code [C]}. Per channel {@code c}:
     * <pre>{@code
     * mean[c]   = sum(x[:, c]) / M
     * var[c]    = sum((x[:, c] - mean[c])^2) / M          // biased
     * invstd[c] = 1 / sqrt(var[c] + eps)
     * out[:, c] = (x[:, c] - mean[c]) * (invstd[c] * weight[c]) + bias[c]   // affine
     * out[:, c] = (x[:, c] - mean[c]) * invstd[c]                           // otherwise
     * }</pre>
     * Sums are accumulated in any order, at least as precisely as the dtype and never with the
     * cancellation of a one-pass {@code sum(x^2) - M * mean^2} (two passes, Welford or Chan's
     * pairwise update all qualify); the per-channel scalars may be computed in double and rounded
     * once. Results agree with the composite within a few ulps of the output's terms
     * ({@code |x - mean| * |invstd * weight|} and {@code |bias|}), plus the rounding a sum of
     * {@code M} elements may accumulate.
     *
     * @param eps    added to the variance, {@code >= 0}
     * @param affine whether {@code weight} and {@code bias} are given
     */
    record BatchNormTraining(double eps, boolean affine) implements Fused {

        public BatchNormTraining {
            if (!(eps >= 0)) throw new IllegalArgumentException("batch_norm: eps must be >= 0, got " + eps);
        }

        @Override public String name() { return "batch_norm"; }

        /** The number of inputs: 3 with affine, else 1. */
        public int inputCount() { return affine ? 3 : 1; }
    }

    /**
     * The gradient of {@link BatchNormTraining} with respect to its input, weight and bias.
     *
     * <p>Operands: inputs {@code {grad_out, x, mean, invstd}}, plus {@code weight} as a fifth
     * when {@link #affine}, where {@code mean} and {@code invstd} are the forward's outputs for
     * {@code x}; outputs {@code {grad_in}}, plus {@code {grad_weight, grad_bias}} when
     * {@link #affine}, all fresh. Shapes: {@code grad_out}, {@code x} and {@code grad_in} are
     * {@code [N, C, *]} as in {@link BatchNormTraining} (same shape); {@code mean},
     * {@code invstd}, {@code weight}, {@code grad_weight} and {@code grad_bias} are {@code [C]}.
     * Per channel {@code c}, with {@code w = affine ? weight[c] : 1} and sums accumulated in any
     * order at least as precisely as the dtype:
     * <pre>{@code
     * xhat        = (x[:, c] - mean[c]) * invstd[c]
     * sg          = sum(grad_out[:, c]);   sgx = sum(grad_out[:, c] * xhat)
     * grad_in     = (grad_out[:, c] - sg / M - xhat * (sgx / M)) * (invstd[c] * w)
     * grad_weight = sgx;   grad_bias = sg
     * }</pre>
     * Results agree with that formula within a few ulps of its terms.
     *
     * @param affine whether the forward had a weight and bias
     */
    record BatchNormTrainingBackward(boolean affine) implements Fused {
        @Override public String name() { return "batch_norm_backward"; }

        /** The number of inputs: 5 with affine, else 4. */
        public int inputCount() { return affine ? 5 : 4; }

        /** The number of outputs: 3 with affine, else 1. */
        public int outputCount() { return affine ? 3 : 1; }
    }

    /**
     * The pointwise part of one LSTM cell step ({@code torch.nn.LSTMCell} after its matrix
     * products), with PyTorch's gate order i, f, g, o.
     *
     * <p>Operands: inputs {@code {gates, c_prev}} with {@code gates [B, 4H]} (the summed
     * pre-activations {@code x W_ih^T + b_ih + h W_hh^T + b_hh}) and {@code c_prev [B, H]};
     * outputs, all fresh, {@code {h [B, H], c [B, H], act [B, 4H], tanh_c [B, H]}}, where
     * {@code act} holds the activated gates and {@code tanh_c} is {@code tanh(c)} (both kept for
     * {@link LstmCellBackward}). {@code B >= 0}, {@code H >= 1}. With {@code a_i, a_f, a_g, a_o}
     * the four H-wide column blocks of a row of {@code gates}, per element:
     * <pre>{@code
     * i = sigmoid(a_i);  f = sigmoid(a_f);  g = tanh(a_g);  o = sigmoid(a_o)   // act = [i, f, g, o]
     * c = f * c_prev + i * g
     * tanh_c = tanh(c)
     * h = o * tanh_c
     * }</pre>
     * where {@code sigmoid(x) = 1 / (1 + exp(-x))}. Results agree with that composite of
     * primitive ops within a few ulps.
     */
    record LstmCell() implements Fused {
        @Override public String name() { return "lstm_cell"; }
    }

    /**
     * The gradients of {@link LstmCell} with respect to its inputs.
     *
     * <p>Operands: inputs {@code {act [B, 4H], c_prev [B, H], tanh_c [B, H]}} (the forward's
     * {@code act}, input {@code c_prev} and {@code tanh_c}), then {@code grad_h [B, H]} when
     * {@link #gradH} and {@code grad_c [B, H]} when {@link #gradC} (an absent gradient is zero);
     * outputs, fresh, {@code {grad_gates [B, 4H], grad_c_prev [B, H]}}. Per element, with
     * {@code [i, f, g, o]} the blocks of {@code act} and absent terms dropped:
     * <pre>{@code
     * gc = grad_c + (grad_h * o) * (1 - tanh_c * tanh_c)
     * grad_gates = [gc * g * (i * (1 - i)),  gc * c_prev * (f * (1 - f)),
     *               gc * i * (1 - g * g),    grad_h * tanh_c * (o * (1 - o))]
     * grad_c_prev = gc * f
     * }</pre>
     * Results agree with that composite within a few ulps.
     *
     * @param gradH a gradient of {@code h} is given
     * @param gradC a gradient of {@code c} is given
     */
    record LstmCellBackward(boolean gradH, boolean gradC) implements Fused {
        @Override public String name() { return "lstm_cell_backward"; }

        /** The number of inputs: 3 plus one per given gradient. */
        public int inputCount() { return 3 + (gradH ? 1 : 0) + (gradC ? 1 : 0); }
    }
}
