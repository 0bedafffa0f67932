using System.CommandLine;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor embed --batch FILE --json</c>: token ids and embeddings of texts, to check the encoder against a reference.</summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One {\"ids\", \"embedding\"} object per input line (the only output format)" };
        var batch = new Option<string>("--batch") { Description = "JSONL file with one {\"text\"} per line", Required = true, HelpName = "FILE" };
        var command = new Command("embed", "Print token ids and embeddings of texts") { json, batch };
        command.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var texts = BatchFile.ReadTexts(parse.GetValue(batch)!);
            foreach (var embedded in host.Tutor().Embed(texts, ct))
                Output.WriteJson(new { ids = embedded.Ids, embedding = embedded.Vector });
            return Task.FromResult(0);
        });
        return command;
    }
}
