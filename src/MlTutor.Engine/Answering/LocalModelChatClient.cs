using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace MlTutor.Answering;

/// <summary>
/// A GGUF chat model run in this process by llama.cpp (through LLamaSharp), behind the same <see cref="IChatClient"/> as
/// an endpoint, so the prompt, streaming, the citation check and the fallback are the same for both. The model is loaded
/// once, on the first request (search, cite and index never pay for it), and serves one request at a time. The prompt is
/// written with the model's own chat template from its metadata, and generation stops at its end-of-turn token.
/// </summary>
public sealed class LocalModelChatClient : IChatClient
{
    private readonly LocalModelOptions _options;
    private readonly Lazy<LoadedModel> _model;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private long _tokensSampled;

    public LocalModelChatClient(LocalModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _model = new Lazy<LoadedModel>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The model's context in tokens: the prompt and the answer together must fit in it.</summary>
    public int ContextSize => _options.ContextSize;

    /// <summary>How long loading took; null before the first request.</summary>
    public double? LoadSeconds => _model.IsValueCreated ? _model.Value.LoadSeconds : null;

    /// <summary>How many tokens the model has sampled over all its replies, those not read included: what a reply stopped
    /// early still cost.</summary>
    public long TokensSampled => Interlocked.Read(ref _tokensSampled);

    /// <summary>Loads the model now, if it is not loaded yet (to time loading apart from answering).</summary>
    public void EnsureLoaded() => _ = _model.Value;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            updates.Add(update);
        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Loading reads the whole file; on a thread of its own so that a caller's spinner keeps turning.
        var model = await Task.Run(() => _model.Value, cancellationToken).ConfigureAwait(false);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        var sampled = new StrongBox<int>();
        try
        {
            var prompt = model.Weights.Tokenize(model.Prompt(messages), add_bos: true, special: true, Encoding.UTF8);
            var promptTokens = prompt.Length;
            var room = _options.ContextSize - promptTokens;
            if (room < 16)
                throw new AnswererException(
                    $"the prompt ({promptTokens} tokens) does not fit the local model's context of {_options.ContextSize} tokens: raise Answering:Local:ContextSize or lower Answering:MaxPromptTokens");
            var maxTokens = Math.Min(options?.MaxOutputTokens ?? _options.MaxTokens, room);
            using var sampler = new DefaultSamplingPipeline
            {
                Temperature = options?.Temperature ?? 0f,
                RepeatPenalty = _options.RepeatPenalty,
                Seed = _options.Seed,
            };
            var written = 0;
            await foreach (var piece in LocalModelGeneration.RunAsync(model.Context, prompt, sampler, maxTokens, sampled, cancellationToken).ConfigureAwait(false))
            {
                written++;
                if (piece.Length > 0)
                    yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = model.Name };
            }
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                ModelId = model.Name,
                FinishReason = written >= maxTokens ? ChatFinishReason.Length : ChatFinishReason.Stop,
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = promptTokens, OutputTokenCount = written, TotalTokenCount = promptTokens + written })],
            };
        }
        finally
        {
            Interlocked.Add(ref _tokensSampled, sampled.Value);
            _oneAtATime.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata))
            return new ChatClientMetadata("local", new Uri(Path.GetFullPath(_options.ModelPath)), Path.GetFileNameWithoutExtension(_options.ModelPath));
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        if (_model.IsValueCreated) _model.Value.Dispose();
        _oneAtATime.Dispose();
    }

    private LoadedModel Load()
    {
        LocalModelFile.Check(_options.ModelPath);
        LlamaNative.Configure();
        var watch = Stopwatch.StartNew();
        var threads = _options.Threads > 0 ? _options.Threads : Math.Max(1, Environment.ProcessorCount);
        var parameters = new ModelParams(_options.ModelPath)
        {
            ContextSize = (uint)_options.ContextSize,
            // LLamaSharp reads the prompt on half the cores unless told: the prompt is read with as many as the answer.
            Threads = threads,
            BatchThreads = threads,
            GpuLayerCount = 0,
        };
        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (Exception e) when (e is LLama.Exceptions.RuntimeError or LLama.Exceptions.LoadWeightsFailedException)
        {
            throw new AnswererException($"the local model {_options.ModelPath} could not be loaded ({e.Message}): it may be damaged or cut short; download it again, or check Answering:Local:ModelPath", e);
        }
        // One context for the process, its memory cleared for each reply: a context per reply would allocate its memory
        // for the whole context size again each time.
        LLamaContext context;
        try
        {
            context = weights.CreateContext(parameters);
        }
        catch (LLama.Exceptions.RuntimeError e)
        {
            weights.Dispose();
            throw new AnswererException($"the local model {_options.ModelPath} could not be given a context of {_options.ContextSize} tokens ({e.Message}): lower Answering:Local:ContextSize", e);
        }
        return new LoadedModel(weights, context, Path.GetFileNameWithoutExtension(_options.ModelPath), watch.Elapsed.TotalSeconds);
    }

    private sealed record LoadedModel(LLamaWeights Weights, LLamaContext Context, string Name, double LoadSeconds) : IDisposable
    {
        public void Dispose()
        {
            Context.Dispose();
            Weights.Dispose();
        }

        /// <summary>The messages as the model was trained to read them: its own chat template, then its assistant turn.</summary>
        public string Prompt(IEnumerable<ChatMessage> messages)
        {
            var template = new LLamaTemplate(Weights) { AddAssistant = true };
            foreach (var message in messages)
                template.Add(message.Role.Value, message.Text);
            return Encoding.UTF8.GetString(template.Apply());
        }
    }
}
