using System.Text;
using Microsoft.Extensions.AI;
using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>
/// What a language model is asked: the mode's instruction, then one user message with the conversation so far, the
/// question (and, for a follow-up, the question it stands for) and the numbered passages, each headed by its file, lines
/// and heading path. The prompt is kept within a token budget: the oldest turns of the conversation go first, then the
/// lowest-ranked passages, never the best one.
/// </summary>
/// <param name="Passages">How many passages the prompt holds (the best ones): markers [1]..[Passages] name a passage.</param>
/// <param name="EstimatedTokens">The prompt's size, estimated (<see cref="TokenEstimate"/>).</param>
/// <param name="TurnsLeftOut">Earlier questions left out to stay within the budget.</param>
public sealed record AnswerPrompt(IReadOnlyList<ChatMessage> Messages, int Passages, int EstimatedTokens, int TurnsLeftOut)
{
    /// <summary>What the model is told in tutor style.</summary>
    public const string TutorInstruction =
        "You are a tutor who answers questions about the user's machine-learning study notes. "
        + "Answer ONLY from the numbered passages in the user's message; do not add facts that are not in them. "
        + "After each sentence that uses a passage, cite it with its number in square brackets, e.g. [2] or [1][3]; "
        + "use only the numbers of the passages shown. Keep the answer short: a few sentences. "
        + "If the passages do not contain the answer, reply only: \"The notes do not cover this question.\"";

    /// <summary>What the model is told in interviewer style.</summary>
    public const string InterviewerInstruction =
        "You are a technical interviewer for a machine-learning role, coaching the candidate with the candidate's own notes. "
        + "Use ONLY the numbered passages in the user's message; do not add facts that are not in them. "
        + "First restate the question the way an interviewer would ask it. Then list briefly what a strong answer covers, "
        + "citing each point with its passage number in square brackets, e.g. [2]; use only the numbers of the passages shown. "
        + "End with one follow-up question an interviewer would ask next, drawn from the passages. "
        + "If the passages do not contain the answer, reply only: \"The notes do not cover this question.\"";

    public static string Instruction(AnswerStyle style) => style == AnswerStyle.Interviewer ? InterviewerInstruction : TutorInstruction;

    /// <summary>The prompt for <paramref name="context"/> within <paramref name="maxTokens"/> (estimated); a prompt whose best
    /// passage alone is larger is sent with that passage all the same.</summary>
    public static AnswerPrompt For(RetrievedContext context, AnswerStyle style, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(context);
        var instruction = Instruction(style);
        var turns = context.History.Count;
        var passages = context.Passages.Count;
        while (true)
        {
            var user = UserMessage(context, context.History.Skip(context.History.Count - turns).ToList(), passages);
            var tokens = TokenEstimate.OfMessage(instruction) + TokenEstimate.OfMessage(user);
            var fits = tokens <= maxTokens;
            if (fits || (turns == 0 && passages <= 1))
                return new AnswerPrompt([new ChatMessage(ChatRole.System, instruction), new ChatMessage(ChatRole.User, user)],
                    passages, tokens, context.History.Count - turns);
            if (turns > 0) turns--;
            else passages--;
        }
    }

    /// <summary>The user message: the conversation so far, the question, then each of the first <paramref name="passages"/>
    /// passages as "[n] file:start-end — heading path" and its text.</summary>
    public static string UserMessage(RetrievedContext context, IReadOnlyList<string> earlierQuestions, int passages)
    {
        var sb = new StringBuilder();
        if (earlierQuestions.Count > 0)
        {
            sb.Append("The conversation so far (my earlier questions, oldest first):\n");
            foreach (var earlier in earlierQuestions) sb.Append("- ").Append(earlier.Trim()).Append('\n');
            sb.Append('\n');
        }
        sb.Append("Question: ").Append(context.Question.Trim());
        // A follow-up read alone ("why do we need it?") names nothing; the model gets the question it stands for.
        if (context.StandaloneQuestion != context.Question)
            sb.Append("\n(In the conversation so far this means: ").Append(context.StandaloneQuestion.Trim()).Append(')');
        sb.Append("\n\nNumbered passages from the notes:\n");
        for (var i = 0; i < passages && i < context.Passages.Count; i++)
        {
            var c = context.Passages[i].Chunk;
            sb.Append("\n[").Append(i + 1).Append("] ").Append(c.File).Append(':').Append(c.StartLine).Append('-').Append(c.EndLine);
            if (!string.IsNullOrWhiteSpace(c.HeadingPath)) sb.Append(" — ").Append(c.HeadingPath);
            sb.Append('\n').Append(c.Text.TrimEnd()).Append('\n');
        }
        return sb.ToString();
    }
}
