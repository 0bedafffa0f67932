using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MlTutor.Tests;

/// <summary>
/// llama.cpp's own OpenAI-compatible server (<c>../shared/tools/llama-server</c>) serving the shared GGUF chat model
/// (<c>../shared/models/smollm2-135m-instruct</c>) on a free port of 127.0.0.1, started for a test and stopped after it.
/// Missing, it is skipped or fails as <see cref="SharedFolder"/> says. The same file is compiled into the console tests.
/// </summary>
public sealed class LlamaServer : IDisposable
{
    private const string Binary = "tools/llama-server/llama-server";
    private const string ModelFolder = "models/smollm2-135m-instruct";

    private readonly Process _process;
    private readonly Queue<string> _log = new();

    private LlamaServer(Process process, int port, string model)
    {
        _process = process;
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1");
        ModelFile = model;
    }

    /// <summary>The server's base address, with /v1, as Answering:Endpoint takes it.</summary>
    public Uri Endpoint { get; }

    public string ModelFile { get; }

    /// <summary>Starts the server on two threads and waits until its /health says it is ready.</summary>
    public static LlamaServer Start()
    {
        var binary = SharedFolder.Require(Binary);
        var model = Directory.EnumerateFiles(SharedFolder.Require(ModelFolder), "*.gguf").Order(StringComparer.Ordinal).FirstOrDefault()
            ?? SharedFolder.Require(ModelFolder + "/SmolLM2-135M-Instruct.Q4_1.gguf");
        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-m", model, "--host", "127.0.0.1", "--port", port.ToString(), "-t", "2", "-c", "4096"])
            start.ArgumentList.Add(a);
        var server = new LlamaServer(Process.Start(start)!, port, model);
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            server.WaitUntilReady(TimeSpan.FromSeconds(60));
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 20) _log.Dequeue();
        }
    }

    private void WaitUntilReady(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var health = new Uri(Endpoint, "/health");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (_process.HasExited) throw new InvalidOperationException($"llama-server exited with {_process.ExitCode}:\n{Log()}");
            try
            {
                using var response = http.GetAsync(health).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"llama-server was not ready within {limit.TotalSeconds} s:\n{Log()}");
    }

    private string Log()
    {
        lock (_log) return string.Join('\n', _log);
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Stops the server as its README says (SIGTERM), and kills it if it lingers.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, Sigterm);
            if (!_process.WaitForExit(5000)) _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private const int Sigterm = 15;

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in the test projects for one plain call.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
