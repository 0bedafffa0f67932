using System.Diagnostics;

namespace MlTutor.Cli;

/// <summary>
/// Times commands as a user runs them: each a new mltutor process, from start to exit, on the same notes, index and
/// settings as this one. A cold run pays for everything a single question does (runtime start, loading the model,
/// opening the index); the files it reads are in the system's cache, as they are for a user who asks again.
/// </summary>
internal static class ColdRuns
{
    /// <summary>Wall times of the runs, in seconds, and the peak resident memory of the largest, in MiB.</summary>
    public sealed record Figures(IReadOnlyList<double> Seconds, double PeakRssMb)
    {
        public double Median
        {
            get
            {
                var sorted = Seconds.Order().ToList();
                return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
            }
        }

        /// <summary>The figures of these runs and <paramref name="more"/> together.</summary>
        public Figures With(Figures more) => new([.. Seconds, .. more.Seconds], Math.Max(PeakRssMb, more.PeakRssMb));
    }

    /// <summary>Runs <c>mltutor COMMAND ARGS</c> once per argument list (the command first), one after the other.</summary>
    public static Figures Run(IReadOnlyList<string[]> runs, string corpus, string index, string model, CancellationToken cancellationToken)
    {
        var seconds = new List<double>();
        var peak = 0.0;
        foreach (var args in runs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // `dotnet mltutor.dll …` runs the program's assembly; a published apphost runs itself.
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
                start.ArgumentList.Add(typeof(ColdRuns).Assembly.Location);
            // The command, then the notes, index and model of this run, then the command's own arguments.
            foreach (var a in args.Take(1).Concat(["--corpus", corpus, "--index", index, "--model", model]).Concat(args.Skip(1)))
                start.ArgumentList.Add(a);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            // The system keeps a finished child's peak memory only together with that of the process it was forked from,
            // this one: the child's own peak is read while it runs.
            while (!process.WaitForExit(5))
            {
                peak = Math.Max(peak, PeakRssMb(process.Id));
                // A run stopped is stopped whole: an index build left running would go on writing.
                if (cancellationToken.IsCancellationRequested)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            clock.Stop();
            if (process.ExitCode != 0)
                throw new UserException($"mltutor {string.Join(' ', args)} failed (exit {process.ExitCode}): {errors.Result.Trim()}");
            _ = output.Result;
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        return new Figures(seconds, peak);
    }

    /// <summary>The peak resident memory of a running process so far (VmHWM), in MiB; 0 where the system does not say.</summary>
    private static double PeakRssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // The process has just exited, or this is not Linux.
        }
        return 0;
    }
}
