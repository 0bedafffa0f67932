using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MlTutor.Web.Tests;

/// <summary>The mock interview's calls over HTTP, on the real server, index and review file: the questions the notes
/// ask, an answer graded as grade --json grades it and scheduled, and what is refused.</summary>
[Collection(StudyServerCollection.Name)]
public sealed class InterviewApiTests(StudyServerFixture study)
{
    private HttpClient Http => study.Http;

    [Fact]
    public async Task The_next_questions_are_the_notes_own_flashcards_with_the_reviews_due()
    {
        var next = await Http.GetFromJsonAsync<JsonElement>("/api/interview?n=100&topic=flashcards");
        var first = await Http.GetFromJsonAsync<JsonElement>("/api/interview?n=1&topic=flashcards");

        var questions = next.GetProperty("questions").EnumerateArray().ToList();
        Assert.NotEmpty(questions);
        Assert.Equal(questions.Count, questions.Select(q => q.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(JsonSerializer.Serialize(questions[0]), JsonSerializer.Serialize(first.GetProperty("questions").EnumerateArray().Single()));
        foreach (var q in questions)
        {
            var file = q.GetProperty("file").GetString()!;
            Assert.Equal("flashcards.md", file);
            var lines = File.ReadAllLines(Path.Combine(study.Corpus, file));
            Assert.Equal(lines[q.GetProperty("startLine").GetInt32() - 1], q.GetProperty("question").GetString());
            Assert.Equal("???", lines[q.GetProperty("startLine").GetInt32()]);
            Assert.Equal("Interview flashcards", q.GetProperty("topic").GetString());
        }
        Assert.True(next.GetProperty("due").GetProperty("today").GetInt32() >= 0);
        Assert.True(next.GetProperty("due").GetProperty("thisWeek").GetInt32() >= 0);
    }

    [Fact]
    public async Task An_answer_is_graded_as_grade_json_grades_it_and_scheduled_out_of_the_next_questions()
    {
        var question = (await Http.GetFromJsonAsync<JsonElement>("/api/interview?n=100&topic=flashcards"))
            .GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("question").GetString() == "What does a ROC curve plot?");
        var id = question.GetProperty("id").GetString()!;
        const string answer = "It plots the true positive rate against the false positive rate at every threshold; "
            + "the area under it is the chance that a random positive scores above a random negative.";

        using var response = await PostAnswerAsync(new { id, answer, seconds = 120 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var grade = result.GetProperty("grade");
        Assert.Equal("pass", grade.GetProperty("verdict").GetString());
        Assert.NotEmpty(grade.GetProperty("covered").EnumerateArray());
        // The grade is the console's, for the same question and answer.
        var batch = Path.Combine(Path.GetDirectoryName(study.Corpus)!, $"answers-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(batch, JsonSerializer.Serialize(new { id, question = question.GetProperty("question").GetString(), answer }) + "\n");
        try
        {
            var console = study.RunConsole("grade", "--corpus", study.Corpus, "--json", "--batch", batch);
            Assert.Equal(StudyApiTests.Normalised(console), JsonSerializer.Serialize(grade));
        }
        finally
        {
            File.Delete(batch);
        }
        // A pass given slowly (past Review:EasyMaxSeconds) is Good, due again in days; no longer among the next questions until then.
        var review = result.GetProperty("review");
        Assert.Equal("good", review.GetProperty("rating").GetString());
        Assert.True(review.GetProperty("due").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(12));
        Assert.True(review.GetProperty("days").GetDouble() >= 1);
        Assert.True(result.GetProperty("due").GetProperty("thisWeek").GetInt32() >= 1);
        var next = await Http.GetFromJsonAsync<JsonElement>("/api/interview?n=100&topic=flashcards");
        Assert.DoesNotContain(next.GetProperty("questions").EnumerateArray(), q => q.GetProperty("id").GetString() == id);
    }

    [Theory]
    [InlineData("""{"answer": "weights"}""", 400, "\"id\" is missing")]
    [InlineData("""{"id": "card:000000000000", "answer": "weights"}""", 404, "no question of the notes has the id 'card:000000000000'")]
    [InlineData("""{"id": "../../etc/passwd", "answer": "weights"}""", 404, "no question of the notes has the id")]
    [InlineData("""{"id": "card:000000000000"}""", 400, "\"answer\" is missing")]
    [InlineData("""{"id": "card:000000000000", "answer": "  "}""", 400, "the answer is empty")]
    [InlineData("""{"id": "card:000000000000", "answer": "weights", "seconds": -1}""", 400, "\"seconds\"")]
    [InlineData("""not json""", 400, "the body is not JSON")]
    public async Task A_bad_answer_is_refused_with_one_line(string body, int status, string expected)
    {
        using var response = await study.PostRawAsync("/api/interview/answer", body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(expected, await StudyApiTests.ErrorOf(response));
    }

    [Fact]
    public async Task An_answer_longer_than_an_interview_answer_is_a_400()
    {
        using var response = await PostAnswerAsync(new { id = "card:000000000000", answer = new string('w', 10_001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("longer than 10,000 characters", await StudyApiTests.ErrorOf(response));
    }

    [Theory]
    [InlineData("/api/interview?n=0", "n is a whole number from 1 to 100")]
    [InlineData("/api/interview?n=many", "n is a whole number from 1 to 100")]
    [InlineData("/api/interview?n=101", "n is a whole number from 1 to 100")]
    public async Task A_bad_count_of_questions_is_a_400(string path, string expected)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await StudyApiTests.ErrorOf(response));
    }

    [Fact]
    public async Task A_topic_the_notes_do_not_have_gives_no_questions()
    {
        var next = await Http.GetFromJsonAsync<JsonElement>("/api/interview?topic=quantum%20gravity");

        Assert.Empty(next.GetProperty("questions").EnumerateArray());
    }

    private async Task<HttpResponseMessage> PostAnswerAsync(object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/interview/answer") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-MlTutor-Token", study.Token);
        return await Http.SendAsync(request);
    }
}
