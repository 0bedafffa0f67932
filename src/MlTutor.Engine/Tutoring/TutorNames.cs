using MlTutor.Embedding;

namespace MlTutor.Tutoring;

/// <summary>The names the settings and the hosts use for <see cref="RetrieverKind"/>, <see cref="AnswerProvider"/> and the
/// model's <see cref="ModelVariant"/>: each value's own name in lower case, read in this one place.</summary>
public static class TutorNames
{
    public const string Retrievers = "dense, keyword or hybrid";
    public const string Providers = "offline or openai";
    public const string Variants = "fp32 or int8";

    public static bool TryRetriever(string? text, out RetrieverKind kind) => TryName(text, out kind);

    public static RetrieverKind Retriever(string text) => TryRetriever(text, out var kind) ? kind
        : throw new TutorException($"unknown retriever '{text}': use {Retrievers}", Remedy.FixInput);

    public static bool TryProvider(string? text, out AnswerProvider provider) => TryName(text, out provider);

    public static AnswerProvider Provider(string text) => TryProvider(text, out var provider) ? provider
        : throw new TutorException($"unknown answering provider '{text}': use {Providers}", Remedy.FixInput);

    public static bool TryVariant(string? text, out ModelVariant variant) => TryName(text, out variant);

    /// <summary>The name a value is written and reported under ("hybrid", "openai", "int8").</summary>
    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The value named <paramref name="text"/> in any case; numbers and lists, which Enum.TryParse would also
    /// take, are not names.</summary>
    private static bool TryName<T>(string? text, out T value) where T : struct, Enum
    {
        var name = text?.Trim().ToLowerInvariant();
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Name(candidate) != name) continue;
            value = candidate;
            return true;
        }
        value = default;
        return false;
    }
}
