using Microsoft.Extensions.AI;

namespace MlTutor.Answering;

/// <summary>
/// Whether a language model answers, and how fast, on a fixed short prompt with a fixed number of generated tokens. Null
/// where the provider does not tell: a server does not say its context size, and its model was loaded before.
/// </summary>
/// <param name="Provider">The provider's name as the settings spell it ("openai").</param>
/// <param name="Model">The model that answered, as the server names it.</param>
/// <param name="FirstTokenSeconds">From sending the prompt to the first token of the reply.</param>
/// <param name="PromptTokensPerSecond">The prompt's tokens over the time to the first token.</param>
/// <param name="GenerationTokensPerSecond">The tokens after the first over the time they took.</param>
public sealed record LlmCheckReport(string Provider, string Model, int? ContextSize, double? LoadSeconds, double? FirstTokenSeconds,
    double? PromptTokensPerSecond, double? GenerationTokensPerSecond)
{
    /// <summary>How many tokens the check asks for: enough to time the generation, few enough to be quick on a CPU.</summary>
    public const int GeneratedTokens = 24;

    /// <summary>
    /// The check's prompt, the same every time so that runs compare, but for a number of its own at the start: a server
    /// that keeps the last prompt's tokens (llama.cpp does) would otherwise read almost none of it, and its reading speed
    /// could not be measured.
    /// </summary>
    public static IReadOnlyList<ChatMessage> Prompt(int run) =>
    [
        new(ChatRole.System, $"Check {run:D6}. You are a tutor for machine-learning students. Answer in one short sentence."),
        new(ChatRole.User, "What does the learning rate control when a model is trained with gradient descent?"),
    ];

    /// <summary>What the model replied.</summary>
    public string Reply { get; init; } = "";

    public int? PromptTokens { get; init; }
    public int? CompletionTokens { get; init; }
}
