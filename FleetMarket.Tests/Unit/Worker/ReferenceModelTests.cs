using FleetMarket.Protocol.Tensors;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Tests.Unit.Worker;

public class ReferenceModelTests
{
    [Fact]
    public void Build_CalledTwice_GivesSameSmallModel()
    {
        var first = ReferenceModel.Build();

        Assert.Equal(first, ReferenceModel.Build());
        Assert.InRange(first.Length, 100, 4096);
    }

    [Fact]
    public void Compute_SampleInputs_MatchesNumpy()
    {
        // numpy 1.24 on the model's initializers: maximum(0, x @ w1.T + b1) @ w2.T + b2, first two rows.
        float[] expected = [-1.9873047f, 2.8642578f, -0.09667969f, 1.9980469f, 2.0292969f, 0.12304688f];

        var scores = ReferenceModel.Compute(ReferenceModel.SampleInputs());

        Assert.Equal([10, 3], scores.Shape);
        Assert.Equal(expected, scores.ToFloats()[..6], (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void SampleInputs_Default_IsTenRowsOfFourFloats()
    {
        var inputs = ReferenceModel.SampleInputs();

        Assert.Equal(NpyDType.Float32, inputs.DType);
        Assert.Equal([10, 4], inputs.Shape);
        Assert.Contains(inputs.ToFloats(), value => value < 0);
        Assert.Contains(inputs.ToFloats(), value => value > 0);
    }

    [Fact]
    public void Compute_WrongWidth_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReferenceModel.Compute(NpyArray.FromFloats(new float[10], 2, 5)));
    }
}
