using System.CommandLine;
using System.Globalization;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor llm-check</c>: whether the configured language model answers, with which model, and how soon its first token
/// comes, on a fixed short prompt.
/// </summary>
public static class LlmCheckCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: provider, model, contextSize, loadSeconds, firstTokenSeconds, promptTokensPerSecond, generationTokensPerSecond",
        };
        var llm = new Option<string?>("--llm") { Description = "openai (Answering:Endpoint) or local (Answering:Local:ModelPath); default: Answering:Provider, or openai when that is offline" };
        var command = new Command("llm-check", "Check that the language model answers, and time its first token") { json, llm };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var provider = parse.GetValue(llm) is { } name ? TutorNames.Provider(name) : (AnswerProvider?)null;
            var report = await tutor.CheckLlmAsync(provider, ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(new
                {
                    provider = report.Provider, model = report.Model, contextSize = report.ContextSize, loadSeconds = report.LoadSeconds,
                    firstTokenSeconds = report.FirstTokenSeconds, promptTokensPerSecond = report.PromptTokensPerSecond,
                    generationTokensPerSecond = report.GenerationTokensPerSecond,
                });
                return 0;
            }
            var where = report.LoadSeconds is { } load ? $"loaded in {Number(load, "0.00")} s, context {report.ContextSize} tokens" : $"at {tutor.Settings.Answering.Endpoint}";
            Console.Out.WriteLine($"{report.Provider}: model {report.Model} {where} answers");
            Console.Out.WriteLine($"  first token after {Number(report.FirstTokenSeconds, "0.00")} s");
            Console.Out.WriteLine($"  prompt read at {Number(report.PromptTokensPerSecond, "0")} tokens/s ({Number(report.PromptTokens, "0")} tokens), "
                + $"generated at {Number(report.GenerationTokensPerSecond, "0")} tokens/s ({Number(report.CompletionTokens, "0")} tokens)");
            Console.Out.WriteLine($"  reply: {report.Reply}");
            return 0;
        });
        return command;
    }

    private static string Number(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "unknown";
}
