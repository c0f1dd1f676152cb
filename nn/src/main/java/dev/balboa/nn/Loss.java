package dev.balboa.nn;

import dev.balboa.api.Tensor;
import dev.balboa.spi.DType;
import java.util.Arrays;

/**
 * Loss functions ({@code torch.nn.functional}'s losses), built from differentiable tensor ops so
 * that autograd provides their gradients. Every function follows PyTorch's definition, including
 * its reductions: class losses with weights average with {@code sum(w_i l_i) / sum(w_i)}, and a
 * mean over zero contributing elements is NaN.
 */
public final class Loss {
    /** PyTorch's default {@code ignore_index}. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    private Loss() {}

    // ---------------------------------------------------------------- class losses

    /** Cross entropy of logits {@code [N, C, ...]} (or {@code [C]}) against class indices, mean reduction. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /**
     * Cross entropy of logits with class dimension 1 (0 for unbatched {@code [C]} input).
     *
     * @param target integer class indices of the input's shape without the class dimension, or
     *     floating class probabilities of the input's shape
     * @param weight per-class weights {@code [C]}, or null
     * @param ignoreIndex a class index whose targets contribute nothing (index targets only)
     * @param labelSmoothing in [0, 1]: the target mixes {@code 1 - s} of the given class with
     *     {@code s} spread uniformly over all classes
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        checkReduction("crossEntropy", reduction);
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        int cd = classDim("crossEntropy", input);
        long classes = input.size(cd);
        checkWeight("crossEntropy", weight, classes);
        Tensor logp = input.logSoftmax(cd);
        if (target.dtype().isFloatingPoint()) {
            if (!Arrays.equals(input.shape(), target.shape())) {
                throw new IllegalArgumentException("crossEntropy: probability targets must have the input's shape "
                        + Arrays.toString(input.shape()) + ", got " + Arrays.toString(target.shape()));
            }
            Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
            Tensor prod = logp.mul(t);
            if (weight != null) prod = prod.mul(weight.view(broadcastShape(input.dim(), cd, classes)));
            return switch (reduction) {
                case NONE -> prod.sum(cd).neg();
                case SUM -> prod.sum().neg();
                default -> input.numel() == 0
                        ? prod.sum().mul(Double.NaN)
                        : prod.sum().neg().div((double) (input.numel() / classes));
            };
        }
        Tensor nll = nllLoss(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0) return nll;
        Tensor valid = target.ne((double) ignoreIndex);
        Tensor perClass = weight == null ? logp : logp.mul(weight.view(broadcastShape(input.dim(), cd, classes)));
        Tensor smooth = perClass.sum(cd).neg().mul(valid.to(logp.dtype()));
        Tensor reduced = switch (reduction) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            default -> weightedMean(smooth.sum(), weight == null
                    ? valid.to(logp.dtype()).sum()
                    : weight.indexSelect(0, safeTarget(target, valid).flatten()).mul(valid.flatten().to(weight.dtype())).sum());
        };
        return nll.mul(1 - labelSmoothing).add(reduced.mul(labelSmoothing / classes));
    }

    /** Negative log-likelihood of log-probabilities against class indices, mean reduction. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * Negative log-likelihood {@code -w[t_i] * input[i, t_i]} of log-probabilities with class
     * dimension 1 (0 for {@code [C]} input); targets equal to {@code ignoreIndex} contribute 0
     * and do not count in the weighted mean.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        checkReduction("nllLoss", reduction);
        int cd = classDim("nllLoss", input);
        long classes = input.size(cd);
        checkWeight("nllLoss", weight, classes);
        if (target.dtype().isFloatingPoint() || target.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("nllLoss: target must hold integer class indices, got " + target.dtype());
        }
        long[] expected = withoutDim(input.shape(), cd);
        if (!Arrays.equals(expected, target.shape())) {
            throw new IllegalArgumentException("nllLoss: target shape " + Arrays.toString(target.shape())
                    + " does not match input " + Arrays.toString(input.shape()) + " (expected "
                    + Arrays.toString(expected) + ")");
        }
        Tensor valid = target.ne((double) ignoreIndex);
        Tensor safe = safeTarget(target, valid);
        if (target.numel() > 0) {
            boolean bad = safe.lt(0.0).logicalOr(safe.ge((double) classes)).any().itemBoolean();
            if (bad) {
                throw new IllegalArgumentException("nllLoss: target holds a class index outside [0, " + classes
                        + ") that is not ignoreIndex " + ignoreIndex);
            }
        }
        Tensor picked = input.gather(cd, safe.unsqueeze(cd)).squeeze(cd);
        Tensor validF = valid.to(input.dtype());
        Tensor w = weight == null ? validF
                : weight.indexSelect(0, safe.flatten()).reshape(target.shape()).mul(validF);
        Tensor loss = picked.mul(w).neg();
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            default -> weightedMean(loss.sum(), w.sum());
        };
    }

    /**
     * {@code sum / total}, NaN when the total weight is 0 (every target ignored) but with zero
     * gradients then, as PyTorch's kernels give.
     */
    private static Tensor weightedMean(Tensor sum, Tensor total) {
        Tensor t = total.detach();
        Tensor empty = t.eq(0.0);
        Tensor safe = Tensor.where(empty, Tensor.onesLike(t), total);
        Tensor nanIfEmpty = Tensor.where(empty, Tensor.fullLike(t, Double.NaN), Tensor.zerosLike(t));
        return sum.div(safe).add(nanIfEmpty);
    }

    // ---------------------------------------------------------------- regression losses

    /** Mean squared error, mean reduction. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, Reduction.MEAN); }

    /** Squared error {@code (x - y)^2}, broadcasting input and target. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        Tensor d = input.sub(target);
        return reduce("mseLoss", d.mul(d), reduction);
    }

    /** Mean absolute error, mean reduction. */
    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, Reduction.MEAN); }

    /** Absolute error {@code |x - y|}. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return reduce("l1Loss", input.sub(target).abs(), reduction);
    }

    /**
     * Smooth L1: {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta};
     * {@code beta = 0} is the L1 loss.
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        if (beta < 0) throw new IllegalArgumentException("smoothL1Loss: beta must be >= 0, got " + beta);
        if (beta == 0) return l1Loss(input, target, reduction);
        Tensor d = input.sub(target).abs();
        Tensor loss = Tensor.where(d.lt(beta), d.mul(d).mul(0.5 / beta), d.sub(0.5 * beta));
        return reduce("smoothL1Loss", loss, reduction);
    }

    /** Huber: {@code 0.5 d^2} where {@code |d| < delta}, else {@code delta (|d| - 0.5 delta)}. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        if (!(delta > 0)) throw new IllegalArgumentException("huberLoss: delta must be > 0, got " + delta);
        Tensor d = input.sub(target).abs();
        Tensor loss = Tensor.where(d.lt(delta), d.mul(d).mul(0.5), d.sub(0.5 * delta).mul(delta));
        return reduce("huberLoss", loss, reduction);
    }

    // ---------------------------------------------------------------- binary losses

    /** Binary cross entropy of probabilities, mean reduction. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * Binary cross entropy {@code -w (y log x + (1 - y) log(1 - x))} of probabilities {@code x};
     * each log is clamped to at least -100 as in PyTorch, so x = 0 or 1 gives finite values.
     *
     * @param weight rescales each element (broadcast against the input), or null
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("binaryCrossEntropy: target shape " + Arrays.toString(target.shape())
                    + " must equal input shape " + Arrays.toString(input.shape()));
        }
        Tensor logX = input.log().clampMin(-100);
        Tensor log1mX = input.rsub(1.0).log().clampMin(-100);
        Tensor loss = target.mul(logX).add(target.rsub(1.0).mul(log1mX)).neg();
        if (weight != null) loss = loss.mul(weight);
        return reduce("binaryCrossEntropy", loss, reduction);
    }

    /** Binary cross entropy on logits, mean reduction. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Binary cross entropy of {@code sigmoid(x)}, computed stably from the logits {@code x}:
     * {@code (1 - y) x + (1 + (p - 1) y) (log(exp(-m) + exp(-x - m)) + m)} with
     * {@code m = max(-x, 0)}.
     *
     * @param weight rescales each element, or null
     * @param posWeight weight of positive examples, broadcast along the last (class) dimension, or null
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("binaryCrossEntropyWithLogits: target shape "
                    + Arrays.toString(target.shape()) + " must equal input shape " + Arrays.toString(input.shape()));
        }
        Tensor m = input.neg().clampMin(0);
        Tensor softplusNeg = m.neg().exp().add(input.neg().sub(m).exp()).log().add(m);
        Tensor loss;
        if (posWeight != null) {
            Tensor logWeight = posWeight.sub(1.0).mul(target).add(1.0);
            loss = target.rsub(1.0).mul(input).add(logWeight.mul(softplusNeg));
        } else {
            loss = target.rsub(1.0).mul(input).add(softplusNeg);
        }
        if (weight != null) loss = loss.mul(weight);
        return reduce("binaryCrossEntropyWithLogits", loss, reduction);
    }

    // ---------------------------------------------------------------- divergence

    /**
     * Kullback-Leibler divergence with the input given as log-probabilities:
     * {@code y (log y - x)} (0 where {@code y = 0}), or {@code exp(y) (y - x)} when
     * {@code logTarget}. {@link Reduction#BATCHMEAN} divides the sum by the batch size and is
     * the mathematically correct KL divergence; {@code MEAN} averages over all elements.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        Tensor loss;
        if (logTarget) {
            loss = target.exp().mul(target.sub(input));
        } else {
            Tensor zero = target.eq(0.0);
            Tensor safeLog = Tensor.where(zero, Tensor.onesLike(target), target).log();
            Tensor xlogy = Tensor.where(zero, Tensor.zerosLike(target), target.mul(safeLog));
            loss = xlogy.sub(target.mul(input));
        }
        if (reduction == Reduction.BATCHMEAN) {
            return input.dim() == 0 ? loss.sum() : loss.sum().div((double) input.size(0));
        }
        return reduce("klDiv", loss, reduction);
    }

    // ---------------------------------------------------------------- helpers

    private static Tensor reduce(String op, Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction BATCHMEAN is only valid for klDiv");
        };
    }

    private static void checkReduction(String op, Reduction reduction) {
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException(op + ": reduction BATCHMEAN is only valid for klDiv (use NONE, MEAN or SUM)");
        }
    }

    private static int classDim(String op, Tensor input) {
        if (input.dim() == 0) throw new IllegalArgumentException(op + ": input must have a class dimension, got a scalar");
        return input.dim() == 1 ? 0 : 1;
    }

    private static void checkWeight(String op, Tensor weight, long classes) {
        if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
            throw new IllegalArgumentException(op + ": weight must have shape [" + classes + "], got "
                    + Arrays.toString(weight.shape()));
        }
    }

    private static Tensor safeTarget(Tensor target, Tensor valid) {
        return target.mul(valid.to(target.dtype()));
    }

    private static long[] broadcastShape(int rank, int cd, long classes) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        s[cd] = classes;
        return s;
    }

    private static long[] withoutDim(long[] shape, int dim) {
        long[] out = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != dim) out[j++] = shape[i];
        return out;
    }
}
