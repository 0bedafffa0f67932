using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Web;

/// <summary>
/// The study page's web server: the page (wwwroot/, with the token of this process), and <see cref="StudyApi"/> on the
/// tutor. It serves until <paramref name="stopping"/> is cancelled (Ctrl-C), then finishes and returns.
/// </summary>
public static class StudyServer
{
    /// <summary>The folder the page's files are served from, beside the program.</summary>
    public static string PageFolder => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>
    /// The page may load only its own scripts, styles and fonts: no inline script, nothing from another host, no
    /// frames. KaTeX sets sizes in style attributes, the one inline styling allowed.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
        + "font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static async Task RunAsync(Tutor tutor, IPAddress address, int port, CancellationToken stopping)
    {
        var guard = new RequestGuard(address);
        var app = Build(tutor, guard, address, port, stopping);
        await app.StartAsync(stopping);
        guard.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        Console.Out.WriteLine($"Serving http://{Address.Of(address, guard.Port)}/");
        await Console.Out.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: the way to stop serving.
        }
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    private static WebApplication Build(Tutor tutor, RequestGuard guard, IPAddress address, int port, CancellationToken stopping)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, WebRootPath = PageFolder });
        // The console is the user's: one line when ready, errors in one line each, no framework logging.
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        // Ctrl-C is handled by the console (Interruption), which cancels the token this server stops with.
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A question and its conversation are a few kilobytes; nothing the page sends is larger.
            kestrel.Limits.MaxRequestBodySize = 1 << 20;
            kestrel.Listen(address, port);
        });
        var app = builder.Build();
        app.Use(ApiErrors.HandleAsync);
        app.Use(async (http, next) =>
        {
            AddSecurityHeaders(http.Response);
            if (guard.Refusal(http.Request) is var (status, message))
            {
                await StudyApi.Json(new { error = message }, status).ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        var page = new StudyPage(PageFolder, guard.Token);
        app.MapGet("/", page.Serve);
        app.MapGet("/index.html", page.Serve);
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(PageFolder), ServeUnknownFileTypes = false });
        new StudyApi(tutor, new IndexUpdates(tutor), stopping).Map(app);
        return app;
    }

    private static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    /// <summary>A host lifetime that leaves the signals to the console.</summary>
    private sealed class NoConsoleLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The page itself: index.html with this process's token in its meta element, never cached.</summary>
public sealed class StudyPage(string folder, string token)
{
    private const string TokenPlaceholder = "{{mltutor-token}}";

    private readonly Lazy<string> _html = new(() => File.ReadAllText(Path.Combine(folder, "index.html")).Replace(TokenPlaceholder, token));

    public IResult Serve(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(_html.Value, "text/html; charset=utf-8");
    }
}
