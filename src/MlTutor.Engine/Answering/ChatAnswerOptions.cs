namespace MlTutor.Answering;

/// <summary>How a language model is asked for an answer, whatever serves it.</summary>
/// <param name="MaxTokens">The most tokens the model may write; an answer that reaches it is reported as cut.</param>
/// <param name="FirstTokenTimeout">Longest wait for the first token after the question is sent (connecting, retries and
/// reading the prompt included), and for each next one: a model silent for as long is given up on.</param>
/// <param name="Timeout">Longest time for a whole answer; one that takes longer is cut there.</param>
/// <param name="MaxPromptTokens">The prompt's budget, estimated (<see cref="AnswerPrompt"/>).</param>
public sealed record ChatAnswerOptions(double Temperature, int MaxTokens, TimeSpan FirstTokenTimeout, TimeSpan Timeout, int MaxPromptTokens)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Temperature is < 0 or > 2 || double.IsNaN(Temperature))
            throw new ArgumentException($"Answering:Temperature must be between 0 and 2, not {Temperature}");
        if (MaxTokens <= 0)
            throw new ArgumentException($"Answering:MaxTokens must be positive, not {MaxTokens}");
        if (FirstTokenTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Answering:FirstTokenTimeoutSeconds must be positive, not {FirstTokenTimeout.TotalSeconds}");
        if (Timeout <= TimeSpan.Zero)
            throw new ArgumentException($"Answering:TimeoutSeconds must be positive, not {Timeout.TotalSeconds}");
        if (MaxPromptTokens <= 0)
            throw new ArgumentException($"Answering:MaxPromptTokens must be positive, not {MaxPromptTokens}");
    }
}
