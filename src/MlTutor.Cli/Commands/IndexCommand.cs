using System.CommandLine;
using MlTutor.Indexing;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor index</c>: build the index of the notes, or bring it up to date (only what changed is embedded again).</summary>
public static class IndexCommand
{
    public static Command Create()
    {
        var rebuild = new Option<bool>("--rebuild") { Description = "Ignore the existing index and embed everything again" };
        var json = new Option<bool>("--json") { Description = "Print the build report as one JSON object" };
        var command = new Command("index", "Build or update the index of the notes") { rebuild, json };
        command.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var report = Output.UpdateIndex(tutor, parse.GetValue(rebuild), ct);
            if (parse.GetValue(json))
                Output.WriteJson(Json(report, tutor));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The build report as index --json writes it (serve's /api/reindex too).</summary>
    public static object Json(IndexBuildReport report, Tutor tutor) => new
    {
        index = tutor.IndexDirectory, corpus = tutor.CorpusDirectory, report.UpToDate, report.Files, report.Chunks,
        report.Embedded, report.Reused, report.ChangedFiles, report.RemovedFiles, report.EmbeddedPieces,
        seconds = Math.Round(report.Elapsed.TotalSeconds, 3),
        // Written as a copy of the last generation changed where notes changed, rather than whole.
        report.Updated,
        warnings = report.Warnings.Select(w => w.ToString()),
    };
}
