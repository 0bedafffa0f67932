using System.CommandLine;
using System.Text.Json;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor model-check</c>: embeds the reference sentences of models/reference.json and compares ids and vectors.
/// The set-up runs it on a downloaded model, whose bytes differ from the pinned mirror's but whose output must not.
/// </summary>
public static class ModelCheckCommand
{
    public const double MinCosine = 0.999;

    public static Command Create()
    {
        var command = new Command("model-check", "Check the installed model against reference token ids and embeddings");
        command.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var path = Path.Combine(CommonOptions.Home, "models", "reference.json");
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var failures = 0;
            var worst = 1.0;
            foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                var text = c.GetProperty("text").GetString()!;
                var ids = c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var reference = c.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
                var vector = tutor.Encoder.Embed(text);
                var cosine = Cosine(vector, reference);
                worst = Math.Min(worst, cosine);
                if (!tutor.Tokenizer.Encode(text).SequenceEqual(ids) || cosine < MinCosine)
                {
                    failures++;
                    Console.Error.WriteLine($"mismatch: \"{text}\" (cosine {cosine:0.000000})");
                }
            }
            Console.Out.WriteLine(failures == 0 ? $"model ok: worst cosine {worst:0.000000}" : $"model check failed for {failures} reference sentences");
            return Task.FromResult(failures == 0 ? 0 : 1);
        });
        return command;
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }
}
