namespace MlTutor.Answering;

/// <summary>How the in-process model is run (see <see cref="LocalModelChatClient"/>).</summary>
/// <param name="ModelPath">A GGUF chat model.</param>
/// <param name="ContextSize">Tokens the model holds at once: the prompt and the answer.</param>
/// <param name="Threads">CPU threads for reading the prompt and generating; 0: one per core.</param>
/// <param name="MaxTokens">The most tokens written when a request does not say.</param>
/// <param name="RepeatPenalty">Above 1, tokens already written are less likely again: small models loop without it.</param>
/// <param name="Seed">The sampler's seed, so that an answer at a temperature above 0 can be had again.</param>
public sealed record LocalModelOptions(string ModelPath, int ContextSize, int Threads, int MaxTokens, float RepeatPenalty, uint Seed);
