using System.Collections.Concurrent;
using MlTutor.Answering;
using MlTutor.Embedding;

namespace MlTutor.Tutoring;

/// <summary>One answerer per provider for the life of a tutor, created when first asked for and disposed with it (an
/// endpoint's answerer holds an HTTP client and its connections).</summary>
internal sealed class Answerers(TutorSettings.AnsweringSettings settings, string home, Func<MiniLmEncoder> encoder) : IDisposable
{
    private readonly ConcurrentDictionary<AnswerProvider, Lazy<IAnswerer>> _byProvider = new();
    private readonly Lazy<ChatClientAnswerer> _endpoint = new(() => new ChatClientAnswerer(EndpointClient(settings), AnswerOptions(settings)));
    private readonly Lazy<ChatClientAnswerer> _local = new(() => LocalAnswerer(settings, home));

    public IAnswerer For(AnswerProvider provider) =>
        _byProvider.GetOrAdd(provider, p => new Lazy<IAnswerer>(() => Create(p))).Value;

    /// <summary>The answerer of a provider that writes with a language model.</summary>
    public ChatClientAnswerer Model(AnswerProvider provider) => provider switch
    {
        AnswerProvider.OpenAi => _endpoint.Value,
        AnswerProvider.Local => _local.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "the offline answerer has no language model"),
    };

    private IAnswerer Create(AnswerProvider provider) => provider switch
    {
        AnswerProvider.Offline => new ExtractiveAnswerer(sentences => encoder().EmbedSentences(sentences)),
        // The offline answer stands in when the model cannot answer at all.
        _ => new FallbackAnswerer(Model(provider), For(AnswerProvider.Offline)),
    };

    private static EndpointChatClient EndpointClient(TutorSettings.AnsweringSettings settings)
    {
        if (!Uri.TryCreate(settings.Endpoint, UriKind.Absolute, out var endpoint))
            throw new TutorException($"Answering:Endpoint '{settings.Endpoint}' is not an absolute URL (e.g. http://127.0.0.1:11434/v1)", Remedy.FixSetting)
            { Setting = "Answering:Endpoint" };
        try
        {
            return EndpointChatClient.Create(new ChatEndpointOptions(endpoint, settings.Model,
                ChatEndpointOptions.ApiKeyFromEnvironment(settings.ApiKeyVariable), TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds),
                settings.MaxRetries, TimeSpan.FromSeconds(settings.RetryDelaySeconds), settings.ApiKeyVariable));
        }
        catch (ArgumentException e)
        {
            throw new TutorException(e.Message, Remedy.FixSetting, e);
        }
    }

    /// <summary>The in-process model's answerer. Its prompt budget leaves room in the model's context for the answer, so that
    /// passages are trimmed rather than the context overflowing; the estimate of a prompt's tokens may fall short by a
    /// few percent, hence the margin.</summary>
    private static ChatClientAnswerer LocalAnswerer(TutorSettings.AnsweringSettings settings, string home)
    {
        var local = settings.Local;
        var options = new LocalModelOptions(Path.GetFullPath(local.ModelPath, home), local.ContextSize, local.Threads, settings.MaxTokens,
            (float)local.RepeatPenalty, local.Seed);
        var room = (int)((local.ContextSize - Math.Min(settings.MaxTokens, local.ContextSize / 2)) * 0.85);
        var answer = AnswerOptions(settings) with
        {
            MaxPromptTokens = Math.Min(settings.MaxPromptTokens, room),
            MaxTokens = Math.Min(settings.MaxTokens, local.ContextSize / 2),
        };
        return new ChatClientAnswerer(new LocalModelChatClient(options), answer);
    }

    private static ChatAnswerOptions AnswerOptions(TutorSettings.AnsweringSettings settings) => new(settings.Temperature, settings.MaxTokens,
        TimeSpan.FromSeconds(settings.FirstTokenTimeoutSeconds), TimeSpan.FromSeconds(settings.TimeoutSeconds), settings.MaxPromptTokens);

    public void Dispose()
    {
        foreach (var answerer in _byProvider.Values)
            if (answerer.IsValueCreated && answerer.Value is IDisposable disposable) disposable.Dispose();
        _byProvider.Clear();
        if (_endpoint.IsValueCreated) _endpoint.Value.Dispose();
        if (_local.IsValueCreated) _local.Value.Dispose();
    }
}
