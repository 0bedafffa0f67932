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
}
