using System.CommandLine;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor model-check</c>: embeds the reference sentences of models/reference.json and compares ids and vectors.
/// The set-up runs it on a downloaded model, whose bytes differ from the pinned mirror's but whose output must not.
/// </summary>
public static class ModelCheckCommand
{
    public static Command Create()
    {
        var command = new Command("model-check", "Check the installed model against reference token ids and embeddings");
        command.SetAction((parse, _) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var checks = host.Tutor().CheckModel(Path.Combine(CommonOptions.Home, "models", "reference.json"));
            foreach (var failed in checks.Where(c => !c.Passed))
                Console.Error.WriteLine($"mismatch: \"{failed.Text}\" (cosine {failed.Cosine:0.000000})");
            var failures = checks.Count(c => !c.Passed);
            Console.Out.WriteLine(failures == 0 ? $"model ok: worst cosine {checks.Min(c => c.Cosine):0.000000}" : $"model check failed for {failures} reference sentences");
            return Task.FromResult(failures == 0 ? 0 : 1);
        });
        return command;
    }
}
