namespace MlTutor.Embedding;

/// <summary>Which ONNX file of the model folder the encoder runs.</summary>
public enum ModelVariant
{
    /// <summary><c>model.onnx</c>: reproduces the reference embeddings (cosine &gt;= 0.9999).</summary>
    Fp32,

    /// <summary><c>model.int8.onnx</c>: fused operators and int8 weights, about twice as fast on CPU, slightly less exact.</summary>
    Int8,
}
