using MlTutor.Answering;
using MlTutor.Indexing;
using MlTutor.Tutoring;

namespace MlTutor.Tests.Tutoring;

/// <summary>The facade in process, over a copy of the sample notes and the real model, FAISS, SQLite and Lucene files.</summary>
public sealed class TutorTests : IDisposable
{
    private readonly string _corpus = CopyOfSampleNotes();
    private readonly string _index = TestPaths.NewTempDir("mltutor-tutor-index");

    private Tutor NewTutor(Action<string>? warn = null) => new(new TutorSettings
    {
        Corpus = { Directory = _corpus },
        Index = { Directory = _index },
    }, TestPaths.RepoRoot, warn);

    private static string CopyOfSampleNotes()
    {
        var corpus = TestPaths.NewTempDir("mltutor-tutor-notes");
        foreach (var note in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "corpus")))
            File.Copy(note, Path.Combine(corpus, Path.GetFileName(note)));
        return corpus;
    }

    public void Dispose()
    {
        foreach (var dir in new[] { _corpus, _index })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Two_updates_of_one_process_are_never_taken_for_another_process()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        File.AppendAllText(Path.Combine(_corpus, "regularization.md"), "\n## Label smoothing\n\nLabel smoothing mixes the one-hot target with a uniform one.\n");

        // As a watch's update and a check before a question meet in chat: both start together; one re-indexes the edit.
        using var start = new Barrier(2);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return tutor.UpdateBeforeQuestions();
        })));

        Assert.All(outcomes, o => Assert.Null(o.Warning));
        Assert.Single(outcomes, o => o.Built);
        Assert.Contains(tutor.Retrieve("What does label smoothing mix?").Passages, p => p.Chunk.Text.Contains("uniform one"));
    }

    [Fact]
    public async Task A_check_before_a_question_does_not_wait_for_the_update_its_process_has_under_way()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        using var embedding = new ManualResetEventSlim();
        var rebuild = Task.Run(() => tutor.UpdateIndex(rebuild: true,
            new SyncProgress(p => { if (p.Stage == "Embedding") embedding.Set(); })));
        Assert.True(embedding.Wait(TimeSpan.FromSeconds(60)), "the rebuild reached its embedding");

        var check = tutor.UpdateBeforeQuestions();

        Assert.False(rebuild.IsCompleted, "the check returned while the rebuild was still running");
        Assert.Equal((null, null), (check.Report, check.Warning));
        Assert.False((await rebuild).UpToDate);
    }

    private sealed class SyncProgress(Action<IndexProgress> report) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => report(value);
    }

    [Fact]
    public async Task An_offline_answer_embeds_the_question_with_the_answerers_own_session()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        var answer = await tutor.AskAsync("What does Adam add to RMSprop?");

        Assert.Contains(answer.Citations, c => c.File == "optimizers.md");
        // Indexing, the question and the answer's sentences all ran on one session: no second copy of the model.
        Assert.Equal(1, tutor.EncoderSessions);
    }

    [Fact]
    public async Task A_local_model_answer_embeds_the_question_with_the_session_its_offline_answer_uses()
    {
        var model = SharedFolder.Require("models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf");
        using var tutor = new Tutor(new TutorSettings
        {
            Corpus = { Directory = _corpus },
            Index = { Directory = _index },
            Answering = { MaxTokens = 24, Temperature = 0, Local = { ModelPath = model, ContextSize = 2048, Threads = 2 } },
        }, TestPaths.RepoRoot);
        tutor.UpdateIndex();

        var answer = await tutor.AskAsync("What does Adam add to RMSprop?", new QuestionOptions { Provider = AnswerProvider.Local });

        Assert.True(answer.CompletionTokens > 0, "the local model wrote the answer");
        // The model's answer may be followed by the offline one, which embeds the notes' sentences with the full session: the
        // question went through it too, and no second copy of the encoder was loaded.
        Assert.Equal(1, tutor.EncoderSessions);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Both_sessions_pack_the_models_weights_only_when_the_settings_ask_for_it(bool? setting, bool packed)
    {
        using var tutor = new Tutor(new TutorSettings
        {
            Corpus = { Directory = _corpus },
            Index = { Directory = _index },
            Model = { Threads = 2, QueryThreads = 1, PackWeights = setting },
        }, TestPaths.RepoRoot);

        Assert.Equal(packed, tutor.Encoder.PacksWeights);
        Assert.Equal(packed, tutor.QueryEncoder.PacksWeights);
        Assert.Equal(2, tutor.EncoderSessions);
    }

    [Fact]
    public async Task Loading_for_answers_started_before_the_update_is_done_in_the_background_and_the_question_finds_it()
    {
        using (var indexing = NewTutor())
            indexing.UpdateIndex();
        using var tutor = NewTutor();

        tutor.StartLoadingForAnswers();
        var outcome = tutor.UpdateBeforeQuestions();

        Assert.True(outcome.Report!.UpToDate);
        // Nothing was embedded: the notes were current. The model loads anyway, for the question that follows.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!tutor.Encoder.IsLoaded && waited.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(20);
        Assert.True(tutor.Encoder.IsLoaded, "the model was not loaded in the background");
        var answer = await tutor.AskAsync("What does Adam add to RMSprop?");
        Assert.Contains(answer.Citations, c => c.File == "optimizers.md");
        Assert.Equal(1, tutor.EncoderSessions);
    }

    [Fact]
    public void Loading_for_searches_loads_only_the_query_session()
    {
        using (var indexing = NewTutor())
            indexing.UpdateIndex();
        using var tutor = NewTutor();

        tutor.StartLoadingForSearches();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!tutor.QueryEncoder.IsLoaded && waited.Elapsed < TimeSpan.FromSeconds(60))
            Thread.Sleep(20);

        Assert.True(tutor.QueryEncoder.IsLoaded, "the query session was not loaded in the background");
        Assert.NotEmpty(tutor.Retrieve("What does Adam add to RMSprop?").Passages);
        // A search alone never loads the answers' session (another copy of the model, with larger buffers).
        Assert.False(tutor.Encoder.IsLoaded, "the answers' session was loaded for a search");
    }

    [Fact]
    public void Retrieval_alone_embeds_questions_with_the_one_thread_query_session()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        tutor.Retrieve("What does Adam add to RMSprop?");

        // The index was built with the full session; questions for search and bench go through their own one-thread session.
        Assert.Equal(2, tutor.EncoderSessions);
    }

    [Fact]
    public async Task A_streamed_answer_ends_with_the_same_answer_as_a_whole_one()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        var whole = await tutor.AskAsync("What does Adam add to RMSprop?");

        var text = "";
        Answer? final = null;
        await foreach (var update in tutor.AskStreamingAsync("What does Adam add to RMSprop?"))
        {
            text += update.Text;
            final = update.Final ?? final;
        }

        Assert.NotNull(final);
        Assert.Equal(whole, final with { Citations = whole.Citations });
        Assert.Equal(whole.Citations, final.Citations);
        Assert.Equal(whole.Text, text);
    }

    [Fact]
    public async Task Questions_from_many_threads_during_an_update_each_read_one_whole_generation()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        var before = tutor.Retrieve("How does dropout regularize a network?", new QuestionOptions { K = 5 });
        Assert.Contains(before.Passages, p => p.Chunk.File == "regularization.md");

        // An edit the next generation carries: a note whose only subject no earlier note mentions.
        const string question = "What does the zeppelin bellows coefficient measure?";
        await File.WriteAllTextAsync(Path.Combine(_corpus, "zeppelin.md"),
            "# Zeppelin bellows\n\nThe zeppelin bellows coefficient measures how much air the bellows of an airship move per stroke.\n");

        using var start = new Barrier(9);
        var updated = new TaskCompletionSource();
        // Each thread asks until the update is done, and twice more: its first questions read the old generation, its
        // last ones the new.
        var questions = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.SignalAndWait();
            var answers = new List<Answer>();
            for (var after = 0; after < 2; after += updated.Task.IsCompleted ? 1 : 0)
                answers.Add(await tutor.AskAsync(i % 2 == 0 ? question : "How does dropout regularize a network?"));
            return answers;
        })).ToList();
        var update = Task.Run(() =>
        {
            start.SignalAndWait();
            try { return tutor.UpdateIndex(); }
            finally { updated.SetResult(); }
        });

        var report = await update;
        var all = (await Task.WhenAll(questions)).SelectMany(a => a).ToList();

        Assert.False(report.UpToDate);
        foreach (var answer in all)
        {
            // Complete: text, and every marker in it names a citation whose lines are in the notes as they are now.
            Assert.False(string.IsNullOrWhiteSpace(answer.Text));
            foreach (var c in answer.Citations)
            {
                Assert.Contains($"[{c.N}]", answer.Text);
                var lines = File.ReadAllLines(Path.Combine(_corpus, c.File));
                Assert.InRange(c.EndLine, c.StartLine, lines.Length);
            }
        }
        // The dropout answers never change; the zeppelin ones come from the old generation (not covered) or the new one
        // (citing the new note), never a mix.
        var zeppelin = all.Where(a => a.Question == question).ToList();
        Assert.All(zeppelin, a => Assert.True(a.NotCovered ? a.Citations.Count == 0 : a.Citations.Any(c => c.File == "zeppelin.md"),
            $"an answer from neither generation: {a.Text}"));
        Assert.Contains(zeppelin, a => a.NotCovered);
        Assert.Contains(zeppelin, a => !a.NotCovered);
        // After the update every question reads the new generation.
        var after = await tutor.AskAsync(question);
        Assert.False(after.NotCovered);
        Assert.Contains(after.Citations, c => c.File == "zeppelin.md");
    }

    [Fact]
    public void A_citation_past_the_notes_end_says_the_index_needs_an_update()
    {
        using var tutor = NewTutor();
        var e = Assert.Throws<TutorException>(() => tutor.Cite(new CitationReference("optimizers.md", 9000, 9001)));

        Assert.Equal(Remedy.UpdateIndex, e.Remedy);
        Assert.Contains("line 9000 does not exist", e.Message);
        Assert.DoesNotContain("mltutor", e.Message);
    }

    [Fact]
    public void Cited_lines_come_with_the_context_asked_for()
    {
        using var tutor = NewTutor();
        var lines = File.ReadAllLines(Path.Combine(_corpus, "optimizers.md"));

        var cited = tutor.Cite(new CitationReference("optimizers.md", 3, 4), context: 2);

        Assert.Equal(lines[2..4], cited.Lines);
        Assert.Equal([1, 2], cited.Before.Select(l => l.Line));
        Assert.Equal([5, 6], cited.After.Select(l => l.Line));
        Assert.Equal(lines[4], cited.After[0].Text);
    }
}
