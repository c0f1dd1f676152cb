package dev.balboa.autograd;

import static dev.balboa.autograd.GradCase.distinct;
import static dev.balboa.autograd.GradCase.in;
import static dev.balboa.autograd.GradCase.index;
import static dev.balboa.autograd.GradCase.mask;
import static dev.balboa.autograd.GradCase.randn;

import dev.balboa.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Gradient checks of indexing, scatter/gather, joining and rearranging ops. */
class IndexingGradTest {

    static List<GradCase> cases() {
        List<GradCase> c = new ArrayList<>();
        Tensor idx3 = index(new long[] {2, 0, 2}, 3);
        c.add(GradCase.of("indexSelect with repeats", xs -> xs.get(0).indexSelect(0, idx3), () -> in(randn(3, 2))));
        c.add(GradCase.of("indexSelect dim 1 transposed", xs -> xs.get(0).t().indexSelect(1, idx3), () -> in(randn(3, 2))));
        c.add(GradCase.of("indexSelect empty index", xs -> xs.get(0).indexSelect(0, index(new long[0], 0)), () -> in(randn(3, 2))));
        Tensor gi = index(new long[] {0, 2, 1, 1, 0, 0}, 2, 3);
        c.add(GradCase.of("gather dim 1", xs -> xs.get(0).gather(1, gi), () -> in(randn(2, 3))));
        c.add(GradCase.of("gather dim 0 smaller index", xs -> xs.get(0).gather(0, index(new long[] {2, 0}, 1, 2)), () -> in(randn(3, 2))));
        c.add(GradCase.of("gather transposed", xs -> xs.get(0).t().gather(1, gi), () -> in(randn(3, 2))));
        c.add(GradCase.of("scatter src and self", xs -> xs.get(0).scatter(1, index(new long[] {0, 2, 1, 0}, 2, 2), xs.get(1)),
                () -> in(randn(2, 3), randn(2, 2))));
        c.add(GradCase.of("scatter value", xs -> xs.get(0).scatter(0, index(new long[] {1, 0}, 1, 2), 3.0), () -> in(randn(2, 2))));
        c.add(GradCase.of("scatterAdd with duplicates", xs -> xs.get(0).scatterAdd(1, index(new long[] {0, 0, 2, 1, 1, 1}, 2, 3), xs.get(1)),
                () -> in(randn(2, 3), randn(2, 3))));
        c.add(GradCase.of("scatterAdd 0-d", xs -> xs.get(0).scatterAdd(0, index(new long[] {0}, 1), xs.get(1)),
                () -> in(randn(), randn(1))));
        c.add(GradCase.of("indexAdd", xs -> xs.get(0).indexAdd(0, index(new long[] {2, 0, 2}, 3), xs.get(1)),
                () -> in(randn(3, 2), randn(3, 2))));
        c.add(GradCase.of("indexAdd dim 1", xs -> xs.get(0).indexAdd(1, index(new long[] {1}, 1), xs.get(1)),
                () -> in(randn(2, 3), randn(2, 1))));
        c.add(GradCase.of("maskedFill broadcast mask", xs -> xs.get(0).maskedFill(mask(new boolean[] {true, false, true}, 3), -1.0),
                () -> in(randn(2, 3))));
        c.add(GradCase.of("maskedSelect", xs -> xs.get(0).maskedSelect(mask(new boolean[] {true, false, true, false, false, true}, 2, 3)),
                () -> in(randn(2, 3))));
        c.add(GradCase.of("maskedSelect broadcast", xs -> xs.get(0).maskedSelect(mask(new boolean[] {false, true, true}, 3)),
                () -> in(randn(2, 3))));
        c.add(GradCase.of("maskedSelect none", xs -> xs.get(0).maskedSelect(mask(new boolean[] {false, false}, 2)),
                () -> in(randn(2))));
        c.add(GradCase.of("boolean index rows", xs -> xs.get(0).index(mask(new boolean[] {true, false, true}, 3)),
                () -> in(randn(3, 2))));
        c.add(GradCase.of("integer index", xs -> xs.get(0).index(index(new long[] {1, 1, 0, 2}, 2, 2)), () -> in(randn(3, 2))));
        c.add(GradCase.of("cat dim 0", xs -> Tensor.cat(List.of(xs.get(0), xs.get(1)), 0), () -> in(randn(2, 3), randn(1, 3))));
        c.add(GradCase.of("cat dim 1 transposed", xs -> Tensor.cat(List.of(xs.get(0).t(), xs.get(1)), 1), () -> in(randn(2, 3), randn(3, 1))));
        c.add(GradCase.of("cat with empty", xs -> Tensor.cat(List.of(xs.get(0), xs.get(1), xs.get(2)), 0),
                () -> in(randn(0, 2), randn(2, 2), randn(0))));
        c.add(GradCase.of("cat same tensor twice", xs -> Tensor.cat(xs.get(0), xs.get(0).mul(2.0)), () -> in(randn(2))));
        c.add(GradCase.of("stack", xs -> Tensor.stack(List.of(xs.get(0), xs.get(1)), 1), () -> in(randn(2, 3), randn(2, 3))));
        c.add(GradCase.of("stack 0-d", xs -> Tensor.stack(List.of(xs.get(0), xs.get(1)), 0), () -> in(randn(), randn())));
        c.add(GradCase.of("split", xs -> {
            List<Tensor> p = xs.get(0).split(2, 1);
            return p.get(0).mul(p.get(1)).sum().add(p.get(2).exp().sum());
        }, () -> in(randn(2, 5))));
        c.add(GradCase.of("split sizes", xs -> {
            List<Tensor> p = xs.get(0).split(new long[] {1, 0, 2}, 0);
            return p.get(0).mul(p.get(2).sum(new int[] {0}, true)).add(p.get(1).sum());
        }, () -> in(randn(3, 2))));
        c.add(GradCase.of("chunk unused part", xs -> xs.get(0).chunk(3, 0).get(1).exp(), () -> in(randn(5, 2))));
        c.add(GradCase.of("repeat", xs -> xs.get(0).repeat(2, 1, 3), () -> in(randn(2, 2))));
        c.add(GradCase.of("repeat transposed", xs -> xs.get(0).t().repeat(2, 2), () -> in(randn(2, 3))));
        c.add(GradCase.of("flip", xs -> xs.get(0).flip(0, 1).mul(xs.get(0)), () -> in(randn(2, 3))));
        c.add(GradCase.of("roll", xs -> xs.get(0).roll(2, 1).mul(xs.get(0)), () -> in(randn(2, 3))));
        c.add(GradCase.of("roll flat and negative", xs -> xs.get(0).roll(new long[] {-1}, new int[0]).mul(xs.get(0)), () -> in(randn(2, 3))));
        c.add(GradCase.of("tril", xs -> xs.get(0).tril(0), () -> in(randn(3, 3))));
        c.add(GradCase.of("triu batched diagonal 1", xs -> xs.get(0).triu(1), () -> in(randn(2, 3, 3))));
        c.add(GradCase.of("topk unsorted", xs -> xs.get(0).topk(3, 0, true, false).values(), () -> in(distinct(5))));
        c.add(GradCase.of("gather/scatter gradgrad", xs -> xs.get(0).gather(1, gi).square()
                .scatterAdd(1, gi, xs.get(1).square()).scatter(1, index(new long[] {2, 1}, 2, 1), xs.get(1).narrow(1, 0, 1).exp()),
                () -> in(randn(2, 3), randn(2, 3))).withGradgrad());
        c.add(GradCase.of("cat/indexSelect gradgrad", xs -> Tensor.cat(List.of(xs.get(0).square(), xs.get(1).indexSelect(0, idx3).sin()), 0),
                () -> in(randn(2, 2), randn(3, 2))).withGradgrad());
        return c;
    }

    @TestFactory
    Stream<DynamicTest> gradcheck() { return GradCase.tests(cases()); }
}
