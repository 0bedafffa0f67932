using System.Collections.Concurrent;
using MlTutor.Answering;
using MlTutor.Embedding;

namespace MlTutor.Tutoring;

/// <summary>One answerer per provider for the life of a tutor, created when first asked for and disposed with it (an
/// endpoint's answerer holds an HTTP client and its connections).</summary>
internal sealed class Answerers(TutorSettings.AnsweringSettings settings, Func<MiniLmEncoder> encoder) : IDisposable
{
    private readonly ConcurrentDictionary<AnswerProvider, Lazy<IAnswerer>> _byProvider = new();

    public IAnswerer For(AnswerProvider provider) =>
        _byProvider.GetOrAdd(provider, p => new Lazy<IAnswerer>(() => Create(p))).Value;

    private IAnswerer Create(AnswerProvider provider)
    {
        switch (provider)
        {
            case AnswerProvider.Offline:
                return new ExtractiveAnswerer(sentences => encoder().Embed(sentences));
            case AnswerProvider.OpenAi:
                if (!Uri.TryCreate(settings.Endpoint, UriKind.Absolute, out var endpoint))
                    throw new TutorException($"Answering:Endpoint '{settings.Endpoint}' is not an absolute URL (e.g. http://127.0.0.1:11434/v1)", Remedy.FixSetting)
                    { Setting = "Answering:Endpoint" };
                return new ChatCompletionAnswerer(new ChatEndpointOptions(endpoint, settings.Model,
                    ChatEndpointOptions.ApiKeyFromEnvironment(settings.ApiKeyVariable), TimeSpan.FromSeconds(settings.TimeoutSeconds),
                    settings.Temperature, settings.MaxTokens, settings.MaxRetries, settings.ApiKeyVariable));
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    public void Dispose()
    {
        foreach (var answerer in _byProvider.Values)
            if (answerer.IsValueCreated && answerer.Value is IDisposable disposable) disposable.Dispose();
        _byProvider.Clear();
    }
}
