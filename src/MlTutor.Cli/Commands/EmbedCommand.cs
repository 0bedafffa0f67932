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
            var tutor = host.Tutor();
            var texts = ReadTexts(parse.GetValue(batch)!);
            var vectors = tutor.Encoder.Embed(texts, null, ct);
            for (var i = 0; i < texts.Count; i++)
                Output.WriteJson(new { ids = tutor.Tokenizer.Encode(texts[i]), embedding = vectors[i] });
            return Task.FromResult(0);
        });
        return command;
    }

    private static List<string> ReadTexts(string file)
    {
        InputFile.Require(file);
        var texts = new List<string>();
        var no = 0;
        foreach (var line in File.ReadLines(file))
        {
            no++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object || !doc.RootElement.TryGetProperty("text", out var t) || t.ValueKind != System.Text.Json.JsonValueKind.String)
                    throw new UserException($"{file}:{no}: no \"text\" string");
                texts.Add(QuestionInput.JsonString(t));
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new UserException($"{file}:{no}: not a JSON object ({e.Message})");
            }
        }
        if (texts.Count == 0) throw new UserException($"{file} holds no texts: write one {{\"text\": \"...\"}} per line");
        return texts;
    }
}
