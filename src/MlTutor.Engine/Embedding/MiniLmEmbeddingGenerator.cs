using Microsoft.Extensions.AI;

namespace MlTutor.Embedding;

/// <summary>
/// The local encoder behind the Microsoft.Extensions.AI embedding abstraction, for code written against
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. The vectors are exactly <see cref="MiniLmEncoder.Embed(IReadOnlyList{string}, IProgress{int}?, CancellationToken)"/>'s.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ProviderName = "mltutor-onnx";

    private readonly MiniLmEncoder _encoder;
    private readonly bool _ownsEncoder;

    /// <param name="ownsEncoder">Whether disposing the generator disposes the encoder.</param>
    public MiniLmEmbeddingGenerator(MiniLmEncoder encoder, bool ownsEncoder = false)
    {
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _ownsEncoder = ownsEncoder;
        Metadata = new EmbeddingGeneratorMetadata(
            ProviderName, new Uri(Path.GetFullPath(encoder.ModelPath)), MiniLmEncoder.ModelId, encoder.Dimension);
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is int dimensions && dimensions != _encoder.Dimension)
            throw new NotSupportedException($"{MiniLmEncoder.ModelId} makes {_encoder.Dimension}-dimensional embeddings, not {dimensions}.");

        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        // The work is CPU-bound and already uses every core; running it on the pool thread keeps the caller's thread free.
        return Task.Run(() =>
        {
            var vectors = _encoder.Embed(texts, ct: cancellationToken);
            var created = DateTimeOffset.UtcNow;
            return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v)
            {
                ModelId = MiniLmEncoder.ModelId,
                CreatedAt = created,
            }));
        }, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
            return Metadata;
        if (serviceType.IsInstanceOfType(this))
            return this;
        if (serviceType.IsInstanceOfType(_encoder))
            return _encoder;
        return null;
    }

    public void Dispose()
    {
        if (_ownsEncoder)
            _encoder.Dispose();
    }
}
