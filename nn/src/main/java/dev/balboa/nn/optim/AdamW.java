package dev.balboa.nn.optim;

import dev.balboa.api.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), PyTorch 1.13's update: first
 * {@code p *= 1 - lr * wd}, then the Adam step without an L2 term (see {@link Adam}). The
 * options are {@link Adam.Options} with a default weight decay of 1e-2 (see {@link #options()}).
 */
public final class AdamW extends Optimizer {

    /** AdamW's default options: Adam's, with weight decay 1e-2. */
    public static Adam.Options options() { return new Adam.Options(1e-2); }

    /** AdamW over one group of parameters. */
    public AdamW(List<Tensor> params, Adam.Options options) { super(single(params), options.map); }

    private AdamW(Adam.Options options, List<ParamGroup> groups) { super(groups, options.map); }

    /** AdamW over several parameter groups; options a group does not set come from {@code options}. */
    public static AdamW of(List<ParamGroup> groups, Adam.Options options) { return new AdamW(options, groups); }

    @Override
    protected boolean stepIsTensor() { return true; }

    @Override
    protected void validate(ParamGroup g) { Adam.check("AdamW", g); }

    @Override
    protected void update(ParamGroup g) { Adam.adamUpdate(this, g, true); }
}
