namespace MlTutor.Web.Tests;

/// <summary>serve's own life: Ctrl-C stops it cleanly, and listening beyond this machine is said aloud.</summary>
public sealed class ServeLifecycleTests
{
    [Fact]
    public async Task Ctrl_C_stops_serve_cleanly_and_a_host_beyond_loopback_is_warned_of()
    {
        var corpus = Paths.NewTempDir("mltutor-web-corpus");
        var data = Paths.NewTempDir("mltutor-web-data");
        File.Copy(Path.Combine(Paths.RepoRoot, "corpus", "optimizers.md"), Path.Combine(corpus, "optimizers.md"));
        try
        {
            await using var serve = await ServeProcess.StartAsync(corpus, data, "--host", "0.0.0.0");

            Assert.Contains("anyone who can reach this machine", serve.Stderr);
            Assert.Equal($"Serving http://0.0.0.0:{serve.Url.Port}/", serve.Stdout.Trim());
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{serve.Url.Port}/") };
            Assert.True((await http.GetAsync("/api/status")).IsSuccessStatusCode);
            Assert.True(await serve.InterruptAsync(TimeSpan.FromSeconds(10)), "serve did not stop within 10 s of Ctrl-C");
            Assert.Equal(0, serve.ExitCode);
            Assert.DoesNotContain("error", serve.Stderr);
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("--host", "notes.example", "--host notes.example: give an IP address to listen on")]
    [InlineData("--port", "70000", "--port takes a whole number from 0 to 65535, not 70000")]
    public void A_bad_address_or_port_is_one_line_and_exit_code_2(string option, string value, string expected)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { ServeProcess.Program, "serve", option, value }) start.ArgumentList.Add(a);
        start.Environment["MLTUTOR_HOME"] = Paths.RepoRoot;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
