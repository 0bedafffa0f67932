using Microsoft.Playwright;

namespace MlTutor.Web.Tests;

/// <summary>
/// Debian's chromium (installed by src/setup.sh --with-browser, as tests/run.sh runs it), driven headless by Playwright's
/// own driver, which the Microsoft.Playwright package brings with its Node.js: nothing is downloaded, no browser either.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>The flags the machine's closed network needs: without the background-networking ones chromium keeps
    /// trying to reach Google's hosts.</summary>
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium)) return;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = Flags });
    }

    /// <summary>A new page of its own context; the test is skipped when chromium is not installed (failed in CI).</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl)
    {
        if (_browser is null)
        {
            var missing = $"{Chromium} is not installed: src/setup.sh --with-browser (run by tests/run.sh) installs Debian's chromium";
            if (Environment.GetEnvironmentVariable("MLTUTOR_REQUIRE_SHARED") == "1") Assert.Fail(missing);
            throw new SkipException(missing);
        }
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
