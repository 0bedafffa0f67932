using MlTutor.Embedding;
using Xunit;

namespace MlTutor.Tests.Embedding;

/// <summary>One loaded fp32 and one int8 encoder for a test class: creating an ONNX session takes a moment.</summary>
public sealed class EncoderFixture : IDisposable
{
    private readonly Lazy<MiniLmEncoder> _fp32 = new(() => MiniLmEncoder.FromModelDirectory(TestPaths.ModelDir, ModelVariant.Fp32));
    private readonly Lazy<MiniLmEncoder> _int8 = new(() => MiniLmEncoder.FromModelDirectory(TestPaths.ModelDir, ModelVariant.Int8));

    public MiniLmEncoder Fp32 => _fp32.Value;
    public MiniLmEncoder Int8 => _int8.Value;

    public void Dispose()
    {
        if (_fp32.IsValueCreated)
            _fp32.Value.Dispose();
        if (_int8.IsValueCreated)
            _int8.Value.Dispose();
    }
}
