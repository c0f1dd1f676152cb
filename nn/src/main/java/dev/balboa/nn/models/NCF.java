package dev.balboa.nn.models;

import dev.balboa.api.Generator;
import dev.balboa.api.Tensor;
import dev.balboa.nn.Embedding;
import dev.balboa.nn.Init;
import dev.balboa.nn.Linear;
import dev.balboa.nn.Loss;
import dev.balboa.nn.Module;
import dev.balboa.nn.ModuleList;
import java.util.Arrays;

/**
 * Neural collaborative filtering, the NeuMF model: a generalised matrix factorisation (GMF)
 * branch and a multi-layer perceptron (MLP) branch over separate user and item embeddings,
 * concatenated and projected to one logit per (user, item) pair.
 *
 * <ul>
 *   <li>GMF: user and item embeddings of size {@code gmfDim}, multiplied elementwise.</li>
 *   <li>MLP: user and item embeddings of size {@code mlpDim}, concatenated
 *       ({@code 2 * mlpDim} features) and passed through {@code Linear + ReLU} layers of the
 *       given widths.</li>
 *   <li>Head: {@code Linear(gmfDim + lastWidth, 1)} on the concatenation of both branches.</li>
 * </ul>
 *
 * <p>The benchmark configuration ({@link #benchmark()}) has 6,040 users, 3,706 items (the
 * MovieLens-1M sizes), embeddings of size 64 and MLP layers 256-128-64. Embeddings start as
 * N(0, 0.01²), the linear layers with PyTorch's default initialisation. The loss is binary cross
 * entropy on the logits ({@link #loss}).
 */
public class NCF extends Module {
    private final long numUsers;
    private final long numItems;
    private final long gmfDim;
    private final long mlpDim;
    private final long[] mlpLayers;
    private final Embedding gmfUser;
    private final Embedding gmfItem;
    private final Embedding mlpUser;
    private final Embedding mlpItem;
    private final ModuleList mlp;
    private final Linear head;

    /** The benchmark model: 6,040 users, 3,706 items, embeddings of 64, MLP 256-128-64. */
    public static NCF benchmark() { return new NCF(6040, 3706, 64, 64, new long[] {256, 128, 64}); }

    /** A NeuMF model initialised from the default generator. */
    public NCF(long numUsers, long numItems, long gmfDim, long mlpDim, long[] mlpLayers) {
        this(numUsers, numItems, gmfDim, mlpDim, mlpLayers, Generator.defaultGenerator());
    }

    /**
     * A NeuMF model initialised from {@code gen}.
     *
     * @param mlpLayers the widths of the MLP's hidden layers, at least one
     */
    public NCF(long numUsers, long numItems, long gmfDim, long mlpDim, long[] mlpLayers, Generator gen) {
        if (numUsers <= 0 || numItems <= 0 || gmfDim <= 0 || mlpDim <= 0) {
            throw new IllegalArgumentException("NCF: users, items and embedding sizes must be positive, got users="
                    + numUsers + ", items=" + numItems + ", gmfDim=" + gmfDim + ", mlpDim=" + mlpDim);
        }
        if (mlpLayers == null || mlpLayers.length == 0 || Arrays.stream(mlpLayers).anyMatch(w -> w <= 0)) {
            throw new IllegalArgumentException("NCF: mlpLayers must be one or more positive widths, got "
                    + Arrays.toString(mlpLayers));
        }
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.gmfDim = gmfDim;
        this.mlpDim = mlpDim;
        this.mlpLayers = mlpLayers.clone();
        gmfUser = registerModule("gmf_user", new Embedding(numUsers, gmfDim, null, gen));
        gmfItem = registerModule("gmf_item", new Embedding(numItems, gmfDim, null, gen));
        mlpUser = registerModule("mlp_user", new Embedding(numUsers, mlpDim, null, gen));
        mlpItem = registerModule("mlp_item", new Embedding(numItems, mlpDim, null, gen));
        for (Embedding e : new Embedding[] {gmfUser, gmfItem, mlpUser, mlpItem}) Init.normal_(e.weight(), 0, 0.01, gen);
        mlp = registerModule("mlp", new ModuleList());
        long in = 2 * mlpDim;
        for (long width : mlpLayers) {
            mlp.add(new Linear(in, width, true, gen));
            in = width;
        }
        head = registerModule("head", new Linear(gmfDim + in, 1, true, gen));
    }

    /**
     * The logits {@code [N]} of user indices {@code [N]} and item indices {@code [N]} (int64).
     */
    public Tensor forward(Tensor users, Tensor items) {
        if (users.dim() != 1 || !Arrays.equals(users.shape(), items.shape())) {
            throw new IllegalArgumentException("NCF.forward: expected users and items of one shape [N], got "
                    + Arrays.toString(users.shape()) + " and " + Arrays.toString(items.shape()));
        }
        Tensor gmf = gmfUser.forward(users).mul(gmfItem.forward(items));
        Tensor h = Tensor.cat(java.util.List.of(mlpUser.forward(users), mlpItem.forward(items)), 1);
        for (Module layer : mlp) h = layer.forward(h).relu();
        return head.forward(Tensor.cat(java.util.List.of(gmf, h), 1)).squeeze(1);
    }

    /** Binary cross entropy (mean) of the logits for {@code users, items} against 0/1 {@code labels [N]} (float). */
    public Tensor loss(Tensor users, Tensor items, Tensor labels) {
        return Loss.binaryCrossEntropyWithLogits(forward(users, items), labels);
    }

    /** Number of users. */
    public long numUsers() { return numUsers; }

    /** Number of items. */
    public long numItems() { return numItems; }

    @Override
    protected String extraRepr() {
        return "users=" + numUsers + ", items=" + numItems + ", gmf_dim=" + gmfDim + ", mlp_dim=" + mlpDim
                + ", mlp_layers=" + Arrays.toString(mlpLayers);
    }
}
