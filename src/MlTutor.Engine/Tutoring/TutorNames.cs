namespace MlTutor.Tutoring;

/// <summary>The names the settings and the hosts use for <see cref="RetrieverKind"/>, <see cref="AnswerProvider"/> and the
/// model's variants, read in this one place.</summary>
public static class TutorNames
{
    public const string Retrievers = "dense, keyword or hybrid";
    public const string Providers = "offline or openai";
    public const string Variants = "fp32 or int8";

    public static bool TryRetriever(string? text, out RetrieverKind kind)
    {
        kind = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "dense": kind = RetrieverKind.Dense; return true;
            case "keyword": kind = RetrieverKind.Keyword; return true;
            case "hybrid": kind = RetrieverKind.Hybrid; return true;
            default: return false;
        }
    }

    public static RetrieverKind Retriever(string text) => TryRetriever(text, out var kind) ? kind
        : throw new TutorException($"unknown retriever '{text}': use {Retrievers}", Remedy.FixInput);

    /// <summary>The name a retriever is reported under (evaluation tables and JSON keys).</summary>
    public static string Name(RetrieverKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryProvider(string? text, out AnswerProvider provider)
    {
        provider = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "offline": provider = AnswerProvider.Offline; return true;
            case "openai": provider = AnswerProvider.OpenAi; return true;
            default: return false;
        }
    }

    public static AnswerProvider Provider(string text) => TryProvider(text, out var provider) ? provider
        : throw new TutorException($"unknown answering provider '{text}': use {Providers}", Remedy.FixInput);

    public static bool TryVariant(string? text, out Embedding.ModelVariant variant)
    {
        variant = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "fp32": variant = Embedding.ModelVariant.Fp32; return true;
            case "int8": variant = Embedding.ModelVariant.Int8; return true;
            default: return false;
        }
    }

    public static string Name(Embedding.ModelVariant variant) => variant.ToString().ToLowerInvariant();
}
