using System.Diagnostics;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MlTutor.Web.Tests;

/// <summary>The study page in a real browser, on the real server: asking, formulas, citations, hostile notes, access.</summary>
[Collection(StudyServerCollection.Name)]
public sealed class StudyPageTests(StudyServerFixture study, BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static readonly string Screenshots = Path.Combine(Paths.RepoRoot, "TestResults", "screenshots");

    [SkippableFact]
    public async Task Asking_streams_the_answer_typesets_its_formulas_and_a_marker_opens_the_cited_lines()
    {
        var page = await OpenAsync("/");
        // Each state a turn goes through, with when: the first words are on the page before the answer is complete.
        await page.EvaluateAsync("""
            () => { window.states = []; new MutationObserver(ms => { for (const m of ms) window.states.push([m.target.dataset.state, performance.now()]); })
              .observe(document.getElementById('conversation'), { attributes: true, subtree: true, attributeFilter: ['data-state'] }); }
            """);
        await page.FillAsync("#question", "What is the update rule of gradient descent?");
        var asked = await page.EvaluateAsync<double>("() => performance.now()");
        await page.PressAsync("#question", "Enter");
        await page.WaitForSelectorAsync(".turn[data-state=done]");

        var states = await page.EvaluateAsync<JsonElement>("() => window.states");
        Assert.Equal("streaming", states[0][0].GetString());
        Assert.Equal("done", states[states.GetArrayLength() - 1][0].GetString());
        output.WriteLine($"Enter to first token {states[0][1].GetDouble() - asked:0} ms, to the whole answer {states[states.GetArrayLength() - 1][1].GetDouble() - asked:0} ms");
        Assert.True(await page.Locator(".turn .answer .katex").CountAsync() > 0, "no formula of the answer was typeset");

        var marker = page.Locator(".turn .answer a.cite").First;
        var n = await marker.GetAttributeAsync("data-n");
        await marker.ClickAsync();
        await page.WaitForSelectorAsync("#panel-lines li.hl");
        var title = await page.TextContentAsync("#panel-title");
        var (file, start, end) = Reference(title!);
        var highlighted = await page.Locator("#panel-lines li.hl .line-text").AllTextContentsAsync();
        var expected = File.ReadAllLines(Path.Combine(study.Corpus, file))[(start - 1)..end];
        Assert.Equal(expected, highlighted);
        Assert.True(await page.Locator("#panel-lines li:not(.hl)").CountAsync() > 0, "the cited lines are shown without their neighbours");
        Assert.Contains(title!, await page.TextContentAsync($".sources a.cite[data-n=\"{n}\"]"));
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "ask.png"), FullPage = true });

        await page.Keyboard.PressAsync("Escape");
        Assert.True(await page.Locator("#panel").IsHiddenAsync());
        Assert.Equal(n, await page.EvaluateAsync<string>("() => document.activeElement.dataset.n"));

        // A follow-up is sent with the conversation's questions; a new conversation starts with none.
        await page.FillAsync("#question", "and what does momentum add to it?");
        var followUp = await page.RunAndWaitForRequestAsync(() => page.PressAsync("#question", "Enter"), r => r.Url.EndsWith("/api/ask"));
        Assert.Equal(["What is the update rule of gradient descent?"], followUp.PostDataJSON()!.Value.GetProperty("history").EnumerateArray().Select(h => h.GetString()));
        await page.WaitForSelectorAsync(".turn:nth-child(2)[data-state=done]");
        await page.ClickAsync("#new-conversation");
        Assert.Equal(0, await page.Locator(".turn").CountAsync());
        Assert.True(_problems[page].Count == 0, string.Join("\n", _problems[page]));
    }

    [SkippableFact]
    public async Task Formulas_are_typeset_as_notes_and_models_write_them_and_prices_stay_text()
    {
        var page = await OpenAsync("/");

        var price = await RenderAsync(page, "A price of $5 or $10 is text, while $x^2$ is a formula; a lone $ too.");
        Assert.Equal(1, price.Katex);
        Assert.Contains("A price of $5 or $10 is text", price.Text);
        Assert.Contains("a lone $ too", price.Text);
        Assert.Equal(2, (await RenderAsync(page, @"Models write \(a+b\) and \[\sqrt{d_k}\]")).Katex);
        var block = await RenderAsync(page, "$$\n\\text{bias}^2 + \\text{variance}\n$$");
        Assert.Equal(1, block.Display);
        var streaming = await RenderAsync(page, "So $$\\frac{1}{2");
        Assert.Equal(0, streaming.Katex);
        Assert.Contains("$$\\frac{1}{2", streaming.Text);
        var broken = await RenderAsync(page, @"A typo: $\frac{1}{$ here");
        Assert.Equal((0, 1), (broken.Katex, broken.Source));
        Assert.Contains(@"$\frac{1}{$", broken.Text);
        // A note whose "\frac" and "\right" lost their backslashes to string escapes (a form feed, then "rac"; a carriage
        // return, then "ight"): KaTeX cannot parse it as written, and can once they are put back.
        var repaired = await RenderAsync(page, "Mean: $\\left(\f" + "rac{1}{N}\\sum_i x_i\r" + "ight)$.");
        Assert.Equal((1, 1), (repaired.Katex, repaired.Repaired));
    }

    [SkippableFact]
    public async Task The_real_notes_formulas_are_typeset_and_those_that_lost_their_backslashes_are_repaired()
    {
        var script = await File.ReadAllTextAsync(MlTutor.Tests.SharedFolder.Require("corpus/ml-script.md"));
        var page = await OpenAsync("/");

        var rendered = await RenderAsync(page, script);

        output.WriteLine($"ml-script.md: {rendered.Katex} formulas typeset, {rendered.Repaired} of them repaired, {rendered.Source} shown as their source");
        // The note's LaTeX lost "\b", "\f", "\t" and "\r" to string escapes: those formulas are shown repaired; what is
        // left as source is LaTeX that KaTeX does not take as written (\label, unbalanced braces, a lone ^).
        Assert.True(rendered.Repaired >= 10, $"only {rendered.Repaired} formulas repaired");
        Assert.True(rendered.Source <= 16, $"{rendered.Source} formulas shown as source");
        Assert.True(rendered.Katex >= 250, $"only {rendered.Katex} formulas typeset");
    }

    [SkippableFact]
    public async Task A_hostile_note_shows_as_text_and_runs_nothing()
    {
        var page = await OpenAsync($"/?note={StudyServerFixture.HostileNote}#L3-L3");
        await page.WaitForSelectorAsync("#note li#L3.hl");

        Assert.Contains("<script>window.pwned = 1;", await page.TextContentAsync("#note li#L3"));
        Assert.Contains("<img src=x onerror=", await page.TextContentAsync("#note li#L4"));
        await AssertNothingRanAsync(page, "#note");

        // And in an answer that quotes it.
        await page.GotoAsync("/?q=" + Uri.EscapeDataString("What is the quokka rule of the secret garden?"));
        await page.WaitForSelectorAsync(".turn[data-state=done]");
        Assert.Contains(StudyServerFixture.HostileNote, string.Join(" ", await page.Locator(".sources").AllTextContentsAsync()));
        await AssertNothingRanAsync(page, "#conversation");
    }

    [SkippableFact]
    public async Task The_page_has_no_serious_or_critical_accessibility_violations()
    {
        var page = await OpenAsync("/?q=" + Uri.EscapeDataString("Why scale dot products by sqrt(d_k)?"));
        await page.WaitForSelectorAsync(".turn[data-state=done]");
        await page.ClickAsync(".turn .answer a.cite");
        await page.WaitForSelectorAsync("#panel-lines li.hl");

        var results = await page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }

    private async Task<IPage> OpenAsync(string path)
    {
        var page = await browser.NewPageAsync(study.Server.Url);
        var problems = new List<string>();
        page.Dialog += (_, d) => problems.Add("dialog: " + d.Message);
        page.PageError += (_, e) => problems.Add("page error: " + e);
        // A Content-Security-Policy refusal is a console error: the page never tries anything the policy forbids.
        page.Console += (_, m) => { if (m.Type == "error") problems.Add("console: " + m.Text); };
        page.RequestFailed += (_, r) =>
        {
            // Chromium reports a no-store fetch whose body the page read to its end as aborted, now and then
            // (microsoft/playwright#42742): the page's own state says whether the answer arrived whole.
            if (r.Url.EndsWith("/api/ask") && r.Failure == "net::ERR_ABORTED") return;
            problems.Add($"request failed: {r.Url}: {r.Failure}");
        };
        page.Request += (_, r) => { if (!r.Url.StartsWith(study.Server.Url.ToString())) problems.Add("request to another host: " + r.Url); };
        _problems[page] = problems;
        await page.GotoAsync(path);
        return page;
    }

    private readonly Dictionary<IPage, List<string>> _problems = [];

    private async Task AssertNothingRanAsync(IPage page, string within)
    {
        Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
        Assert.Equal("MlTutor", await page.TitleAsync());
        Assert.Equal(0, await page.Locator($"{within} script, {within} img, {within} [onerror], {within} [onload], {within} a[href^='javascript']").CountAsync());
        Assert.True(_problems[page].Count == 0, string.Join("\n", _problems[page]));
    }

    private sealed record Rendered(int Katex, int Display, int Source, int Repaired, string Text);

    private static async Task<Rendered> RenderAsync(IPage page, string markdown)
    {
        var r = await page.EvaluateAsync<JsonElement>("""
            (text) => { const d = document.createElement('div'); d.innerHTML = MlTutorMath.render(text);
              const count = s => d.querySelectorAll(s).length;
              const counts = { katex: count('.katex'), display: count('.katex-display'), source: count('.math-source'), repaired: count('.math-repaired') };
              d.querySelectorAll('.katex').forEach(k => k.replaceWith('[math]'));
              return { ...counts, text: d.textContent }; }
            """, markdown);
        return new Rendered(r.GetProperty("katex").GetInt32(), r.GetProperty("display").GetInt32(), r.GetProperty("source").GetInt32(),
            r.GetProperty("repaired").GetInt32(), r.GetProperty("text").GetString()!);
    }

    private static (string File, int Start, int End) Reference(string text)
    {
        var colon = text.LastIndexOf(':');
        var range = text[(colon + 1)..].Split('-');
        return (text[..colon], int.Parse(range[0]), int.Parse(range[^1]));
    }
}
