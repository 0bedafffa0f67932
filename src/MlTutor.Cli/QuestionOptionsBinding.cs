using System.CommandLine;
using MlTutor.Answering;
using MlTutor.Tutoring;

namespace MlTutor.Cli;

/// <summary>The options of the commands that ask questions (ask, chat, search), turned into the tutor's <see cref="QuestionOptions"/>.</summary>
public static class QuestionOptionsBinding
{
    public static readonly Option<int?> K = CommonOptions.WholeNumber("--k", $"How many passages to retrieve, 1 to {TutorSettings.RetrievalSettings.MaxK} (default: Retrieval:K)", CommonOptions.KRange);
    public static readonly Option<string?> Retriever = new("--retriever") { Description = "dense, keyword or hybrid (default: Retrieval:Retriever)" };
    public static readonly Option<string?> Llm = new("--llm") { Description = "offline (built in), openai (Answering:Endpoint) or local (a GGUF model in this process, Answering:Local:ModelPath)" };
    public static readonly Option<bool> Interviewer = new("--interviewer") { Description = "Explain like an interviewer: the question, what a strong answer covers, a follow-up" };

    /// <summary>The question options given on the command line; what is left out comes from the settings.</summary>
    public static QuestionOptions From(ParseResult parse) => new()
    {
        K = parse.GetValue(K),
        Retriever = parse.GetValue(Retriever) is { } retriever ? TutorNames.Retriever(retriever) : null,
        Provider = ProviderFrom(parse),
        Style = parse.GetValue(Interviewer) ? AnswerStyle.Interviewer : AnswerStyle.Tutor,
    };

    /// <summary>The provider given with --llm; null leaves it to Answering:Provider.</summary>
    public static AnswerProvider? ProviderFrom(ParseResult parse) => parse.GetValue(Llm) is { } llm ? TutorNames.Provider(llm) : null;
}
