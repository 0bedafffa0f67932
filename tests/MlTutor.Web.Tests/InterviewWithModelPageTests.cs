using MlTutor.Tests.Answering;

namespace MlTutor.Web.Tests;

/// <summary>The study page's interview with a language model configured: its grade and feedback follow the offline grade,
/// shown as text. A real serve over a copy of the sample notes, a scripted OpenAI-compatible server on 127.0.0.1, a real
/// browser.</summary>
[Collection(StudyServerCollection.Name)]
public sealed class InterviewWithModelPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task The_model_feedback_follows_the_offline_grade_as_text()
    {
        // Markup in the reply would run in the page if it were ever treated as HTML.
        const string feedback = "You named the cause <img src=x onerror=\"window.pwned = 1\"> but not how ReLU helps.";
        // The model takes a moment, as a real one does: the page says it is grading meanwhile.
        await using var model = new OpenAiCompatibleServer((_, _) =>
            OpenAiCompatibleServer.Stream(OpenAiCompatibleServer.Pieces($"Covered: 1\nMissed: 2\nScore: 6/10\nFeedback: {feedback}")) with { Delay = TimeSpan.FromSeconds(2) });
        var corpus = Paths.NewTempDir("mltutor-web-model-corpus");
        var data = Paths.NewTempDir("mltutor-web-model-data");
        foreach (var note in Directory.EnumerateFiles(Path.Combine(Paths.RepoRoot, "corpus")))
            File.Copy(note, Path.Combine(corpus, Path.GetFileName(note)));
        var settings = new Dictionary<string, string>
        {
            ["MLTUTOR__Answering__Provider"] = "openai",
            ["MLTUTOR__Answering__Endpoint"] = model.Endpoint.ToString(),
            ["MLTUTOR__Answering__Model"] = "tutor-model",
            ["MLTUTOR__Answering__MaxRetries"] = "0",
        };
        try
        {
            await using var serve = await ServeProcess.StartAsync(corpus, data, settings);
            var page = await browser.NewPageAsync(serve.Url);
            await page.GotoAsync("/?interview&topic=flashcards");
            await page.WaitForSelectorAsync("#interview-card[data-state=asking]");
            var question = await page.TextContentAsync("#interview-question");
            await page.FillAsync("#interview-answer", "The gradients shrink as they are multiplied back through many layers.");
            await page.ClickAsync("#interview-grade-button");
            await page.WaitForSelectorAsync("#interview-card[aria-busy=true]");
            Assert.Equal("Grading…", await page.TextContentAsync("#interview-grade-button"));
            Assert.True(await page.IsDisabledAsync("#interview-skip")); // the grade would land under the next question
            await page.WaitForSelectorAsync("#interview-card[data-state=graded]");
            Assert.Null(await page.GetAttributeAsync("#interview-card", "aria-busy"));

            Assert.Matches(@"^(Pass|Partial|Fail): score [01]\.\d\d$", await page.TextContentAsync("#interview-verdict"));
            Assert.True(await page.IsVisibleAsync("#interview-model"));
            Assert.Equal("The interviewer (openai model) — 6/10", await page.TextContentAsync("#interview-model-heading"));
            Assert.Equal(feedback, await page.TextContentAsync("#interview-model-feedback"));
            Assert.Equal(0, await page.Locator("#interview-model img").CountAsync());
            Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
            Assert.True(await page.IsEnabledAsync("#interview-skip"));
            var screenshots = Path.Combine(Paths.RepoRoot, "TestResults", "screenshots");
            Directory.CreateDirectory(screenshots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "interview-model.png"), FullPage = true });
            var request = Assert.Single(model.Requests);
            Assert.Contains(question!, request.Body);
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }
}
