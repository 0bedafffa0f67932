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

    [SkippableFact]
    public async Task An_interview_round_grades_the_answer_links_the_missed_points_and_counts_the_reviews_due()
    {
        const string vanishing = "What is the vanishing gradient problem?";
        var page = await OpenAsync("/?interview&topic=flashcards");
        await page.WaitForSelectorAsync("#interview-card[data-state=asking]");
        while (await page.TextContentAsync("#interview-question") != vanishing)
        {
            var skipped = await page.GetAttributeAsync("#interview-card", "data-id");
            await page.ClickAsync("#interview-skip");
            Assert.NotEqual(skipped, await page.GetAttributeAsync("#interview-card", "data-id"));
        }
        var card = FlashcardOf(vanishing);

        // The first sentence of the notes' answer: one key point covered, the other missed.
        await page.FillAsync("#interview-answer", card.Answer[0]);
        await page.PressAsync("#interview-answer", "Control+Enter");
        await page.WaitForSelectorAsync("#interview-card[data-state=graded]");

        Assert.Matches(@"^(Pass|Partial): score [01]\.\d\d$", await page.TextContentAsync("#interview-verdict"));
        var covered = await page.Locator("#interview-covered li:not(.none)").AllTextContentsAsync();
        Assert.Equal([card.Answer[0]], covered);
        Assert.Matches(@"^Next review of this question: .+ \(in \d+ days?; rated (hard|good)\)\.$", await page.TextContentAsync("#interview-next-review"));
        var missed = page.Locator("#interview-missed a.cite");
        Assert.True(await missed.CountAsync() > 0, "no key point was missed, or a missed one has no link to its lines");
        Assert.Equal($"re-read flashcards.md:{card.AnswerLine}-{card.AnswerLine}", await missed.First.TextContentAsync());
        Assert.Equal($"?note=flashcards.md#L{card.AnswerLine}-L{card.AnswerLine}", await missed.First.GetAttributeAsync("href"));
        await missed.First.ClickAsync();
        await page.WaitForSelectorAsync("#panel-lines li.hl");
        Assert.Equal([File.ReadAllLines(Path.Combine(study.Corpus, "flashcards.md"))[card.AnswerLine - 1]],
            await page.Locator("#panel-lines li.hl .line-text").AllTextContentsAsync());
        await AssertAccessibleAsync(page);
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "interview.png"), FullPage = true });
        await page.Keyboard.PressAsync("Escape");

        // The last question of the round was that one; new questions, and a wrong answer fails, due again within the week.
        var dueBefore = DueThisWeek(await page.TextContentAsync("#interview-due"));
        await page.ClickAsync("#interview-next");
        Assert.StartsWith("That was the last of these questions", await page.TextContentAsync("#interview-empty"));
        await page.ClickAsync("#interview-start button");
        await page.WaitForSelectorAsync("#interview-card[data-state=asking]");
        Assert.NotEqual(vanishing, await page.TextContentAsync("#interview-question"));
        await page.FillAsync("#interview-answer", "I have no idea, sorry.");
        await page.ClickAsync("#interview-grade-button");
        await page.WaitForSelectorAsync("#interview-card[data-state=graded]");
        Assert.Equal("fail", await page.GetAttributeAsync("#interview-result", "data-verdict"));
        Assert.Contains("rated again", await page.TextContentAsync("#interview-next-review"));
        Assert.Equal(dueBefore + 1, DueThisWeek(await page.TextContentAsync("#interview-due")));
        Assert.True(_problems[page].Count == 0, string.Join("\n", _problems[page]));
    }

    [SkippableFact]
    public async Task The_index_view_shows_a_changed_note_and_a_reindex_streams_its_progress_to_done()
    {
        var note = Path.Combine(study.Corpus, "quokka-vision.md");
        await File.WriteAllTextAsync(note, "# Quokka vision\n\nQuokkas see ultraviolet light at dusk, which helps them find fresh shoots.\n");
        try
        {
            var page = await OpenAsync("/?index");
            var row = page.Locator("#index-notes tr[data-file='quokka-vision.md']");
            await row.WaitForAsync();
            Assert.Equal("new", await row.Locator(".state").TextContentAsync());
            Assert.Equal("false", await page.GetAttributeAsync("#index-view", "data-up-to-date"));
            Assert.Contains("quokka-vision.md (new)", await page.TextContentAsync("#index-changes"));
            await page.EvaluateAsync("""
                () => { window.steps = []; const bar = document.getElementById('index-progress');
                  new MutationObserver(() => window.steps.push([document.getElementById('index-stage').textContent, bar.value, bar.max]))
                    .observe(document.getElementById('index-run'), { attributes: true, subtree: true, childList: true, characterData: true }); }
                """);

            await page.ClickAsync("#reindex");
            await page.WaitForSelectorAsync("#index-view[data-state=done]");

            var steps = await page.EvaluateAsync<JsonElement>("() => window.steps");
            Assert.Contains(steps.EnumerateArray(), s => s[0].GetString()!.StartsWith("Embedding: "));
            Assert.Equal("Done", await page.TextContentAsync("#index-stage"));
            Assert.Equal(await page.EvalOnSelectorAsync<double>("#index-progress", "p => p.max"), await page.EvalOnSelectorAsync<double>("#index-progress", "p => p.value"));
            Assert.Matches(@"^Indexed 7 files \(1 changed, 0 removed\)", await page.TextContentAsync("#index-report"));
            Assert.Equal("indexed", await row.Locator(".state").TextContentAsync());
            Assert.Equal("true", await page.GetAttributeAsync("#index-view", "data-up-to-date"));
            Assert.Equal("Up to date with the notes.", await page.TextContentAsync("#index-changes"));
            await AssertAccessibleAsync(page);
            Directory.CreateDirectory(Screenshots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "index.png"), FullPage = true });
            Assert.True(_problems[page].Count == 0, string.Join("\n", _problems[page]));
        }
        finally
        {
            File.Delete(note);
            var (_, events) = await study.ReindexAsync();
            Assert.Equal("report", events[^1].Name);
        }
    }

    private static async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }

    /// <summary>A flashcard of the notes by its question: the sentences of its answer and the line they are on.</summary>
    private (string[] Answer, int AnswerLine) FlashcardOf(string question)
    {
        var lines = File.ReadAllLines(Path.Combine(study.Corpus, "flashcards.md"));
        var at = Array.IndexOf(lines, question.Trim());
        Assert.True(at >= 0 && lines[at + 1] == "???", $"'{question}' is not a flashcard's question");
        return (lines[at + 2].Split(". ").Select(s => s.TrimEnd('.') + ".").ToArray(), at + 3);
    }

    private static int DueThisWeek(string? due) => int.Parse(System.Text.RegularExpressions.Regex.Match(due ?? "", @"(\d+) this week").Groups[1].Value);

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
            // (microsoft/playwright#42742): the page's own state says whether the answer (or the re-index report) arrived whole.
            if ((r.Url.EndsWith("/api/ask") || r.Url.EndsWith("/api/reindex")) && r.Failure == "net::ERR_ABORTED") return;
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
