using Xunit;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Tests.Indexing;

public sealed class KeywordIndexTests : IDisposable
{
    private static readonly Chunk[] Notes =
    [
        Note("gru", "rnn.md", "Recurrent networks › GRU", "A GRU merges the forget and input gates into a single update gate."),
        Note("lstm", "rnn.md", "Recurrent networks › LSTM", "An LSTM cell has a forget gate, an input gate and an output gate that control its memory."),
        Note("l1", "reg.md", "Regularization › Lasso", "Regularization with an L1 penalty drives many weights to exactly zero, giving sparse models."),
        Note("l2", "reg.md", "Regularization › Ridge", "An L2 penalty shrinks all weights smoothly towards zero but rarely to exactly zero."),
        Note("tsne", "viz.md", "Visualisation", "t-SNE maps high-dimensional points to two dimensions while keeping neighbours close."),
        Note("f1", "cards.md", "", "What is the F1 score?\n???\nThe harmonic mean of precision and recall."),
        Note("adam", "opt.md", "Optimizers › Adam", "Combines momentum with per-parameter step sizes from RMSProp."),
        Note("cpp", "tools.md", "Tools", "The FAISS library is written in C++ with Python bindings."),
    ];

    private readonly string _dir = TestPaths.NewTempDir("kwindex");

    public KeywordIndexTests() => KeywordIndex.Build(_dir, Notes);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Chunk Note(string id, string file, string heading, string text) =>
        new(id, file, heading, 1, text.Split('\n').Length, text, text, 0);

    private string Top(string query, KeywordIndexOptions? options = null)
    {
        using var index = KeywordIndex.Open(_dir, options);
        var hits = index.Search(query, 3);
        Assert.NotEmpty(hits);
        return hits[0].ChunkId;
    }

    [Fact]
    public void Exact_acronym_finds_its_chunk() => Assert.Equal("gru", Top("GRU"));

    [Fact]
    public void Stemming_matches_other_word_forms() => Assert.Equal("l1", Top("regularizing"));

    [Fact]
    public void L1_and_L2_are_distinct_terms()
    {
        Assert.Equal("l1", Top("L1 penalty"));
        Assert.Equal("l2", Top("L2 penalty"));
    }

    [Theory]
    [InlineData("t-SNE")]
    [InlineData("tsne plot")]
    [InlineData("TSNE")]
    public void Hyphenated_notation_matches_written_together_or_apart(string query) => Assert.Equal("tsne", Top(query));

    [Fact]
    public void Flashcard_question_and_heading_fields_count()
    {
        Assert.Equal("f1", Top("F1 score"));
        // "Adam" appears only in the heading path.
        Assert.Equal("adam", Top("Adam optimizer"));
        using var noHeadings = KeywordIndex.Open(_dir, new KeywordIndexOptions { HeadingWeight = 0 });
        Assert.Empty(noHeadings.Search("Adam", 3));
    }

    [Fact]
    public void A_flashcards_question_is_searched_as_its_lead_and_a_question_mark_line_in_code_is_no_flashcard()
    {
        // Chunks as the chunker cuts them, carrying what it found: a card's "???" line, and one that is code.
        var chunker = new Chunker(Ingestion.TestPieceCounter.Count);
        var card = chunker.Chunk(new NoteFile("cards.md", "---\ntitle: Cards\n---\n\nName the regulariser that drops units.\n\n???\n\nDropout.\n", "h"), []).Single();
        var stub = chunker.Chunk(new NoteFile("scala.md", "# Scala stubs\n\nAn unfinished method body:\n\n```scala\ndef area(r: Double): Double =\n  ???\n```\n", "h"), []).Single();
        var dir = TestPaths.NewTempDir("kwindex");
        try
        {
            KeywordIndex.Build(dir, [card, stub]);
            using var leads = KeywordIndex.Open(dir, new KeywordIndexOptions { TextWeight = 0, ExactWeight = 0, HeadingWeight = 0, LeadWeight = 1 });
            Assert.Equal(card.Id, Assert.Single(leads.Search("regulariser", 5)).ChunkId);
            Assert.Empty(leads.Search("unfinished method body", 5));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Symbols_inside_terms_are_kept() => Assert.Equal("cpp", Top("what's C++?"));

    [Theory]
    [InlineData("what's C++?")]
    [InlineData("a/b (c")]
    [InlineData("\"unclosed quote")]
    [InlineData("AND OR NOT")]
    [InlineData("title:gru [1 TO 5] {x} ~2 ^3")]
    [InlineData("*")]
    [InlineData("?")]
    [InlineData("\\")]
    [InlineData("~!@#$%^&*()_+-=")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("the of and")]
    public void Any_user_input_is_searched_without_error(string query)
    {
        using var index = KeywordIndex.Open(_dir);
        var hits = index.Search(query, 5);
        Assert.True(hits.Count <= 5);
        Assert.True(index.ScoreUpperBound(query) >= 0);
    }

    [Fact]
    public void Very_long_query_does_not_exceed_clause_limits()
    {
        using var index = KeywordIndex.Open(_dir);
        var query = string.Join(' ', Enumerable.Range(0, 3000).Select(i => $"word{i}")) + " GRU";
        Assert.Equal("gru", index.Search(query, 5)[0].ChunkId);
    }

    [Fact]
    public void Upper_bound_caps_scores_and_is_low_for_words_the_notes_lack()
    {
        using var index = KeywordIndex.Open(_dir);
        const string covered = "GRU update gate";
        const string uncovered = "How does Mamba's selective scan state-space layer work?";
        var coveredTop = index.Search(covered, 1)[0].Score;
        Assert.True(coveredTop <= index.ScoreUpperBound(covered));
        var uncoveredHits = index.Search(uncovered, 1);
        var uncoveredNorm = uncoveredHits.Count == 0 ? 0 : uncoveredHits[0].Score / index.ScoreUpperBound(uncovered);
        Assert.True(uncoveredNorm < coveredTop / index.ScoreUpperBound(covered));
    }

    [Theory]
    [InlineData("How does FlashAttention differ from an LSTM?", new[] { "FlashAttention" })]
    [InlineData("Is RoPE or NF4 used with GRUs and LSTMs?", new[] { "RoPE", "NF4" })] // plural of a known name is known
    [InlineData("Does tSNE or T-SNE keep neighbours?", new string[0])] // the notes write t-SNE
    [InlineData("Why is an L1 penalty sparse, unlike L2 and L3?", new[] { "L3" })]
    [InlineData("Is FAISS written in C++?", new string[0])]
    [InlineData("Is it slow on the training data AND on the test data?", new string[0])] // emphasis, not a name
    [InlineData("What does the forget gate do? Why sparse models?", new string[0])] // capitalised first words are not names
    [InlineData("WHY DOES A GRU MERGE ITS GATES?", new string[0])] // a question in capitals names nothing by its case
    // A capitalised word before a name makes one name with it, known when one note holds both words.
    [InlineData("Does a Sparse LSTM forget more?", new[] { "Sparse LSTM" })] // each word is in a note, never together
    [InlineData("Are the Python FAISS bindings slow?", new string[0])]
    [InlineData("Explain GRU gates. Then Adam.", new string[0])] // a sentence's first word
    public void Names_the_notes_never_mention_are_found(string question, string[] expected)
    {
        using var index = KeywordIndex.Open(_dir);
        Assert.Equal(expected, index.UnknownNames(question));
    }

    [Fact]
    public void The_weight_of_a_questions_words_found_in_passages_counts_rare_words_more_and_leaves_out_unknown_ones()
    {
        using var index = KeywordIndex.Open(_dir);
        var lstm = Notes[1].Text;
        var lasso = Notes[2].Text;

        // "forget" is in two notes, "memory" in one: both are in the LSTM note, neither in the Lasso note.
        Assert.Equal(1.0, index.WordWeightFoundIn("the forget gate and the memory?", [lstm]), 3);
        Assert.Equal(0.0, index.WordWeightFoundIn("forget memory", [lasso]), 3);
        // "gate" is in three notes, "memory" in one: finding only "gate" finds less than half the weight.
        Assert.InRange(index.WordWeightFoundIn("gate memory", [Notes[0].Text]), 0.05, 0.45);
        // Words no note uses ("coffee", "stain") can be in no passage: they are left out rather than counted as missing.
        Assert.Equal(index.WordWeightFoundIn("forget memory", [lstm]), index.WordWeightFoundIn("forget memory coffee stain", [lstm]), 6);
        // Only stop words, or only unknown words: nothing to find.
        Assert.Equal(0.0, index.WordWeightFoundIn("is it the", [lstm]));
        Assert.Equal(0.0, index.WordWeightFoundIn("coffee stain", [lstm]));
    }

    [Fact]
    public void Bm25_parameters_change_the_scores()
    {
        using var standard = KeywordIndex.Open(_dir);
        using var saturated = KeywordIndex.Open(_dir, new KeywordIndexOptions { K1 = 0.1f, B = 0f });
        Assert.NotEqual(standard.Search("gate", 1)[0].Score, saturated.Search("gate", 1)[0].Score);
    }

    [Fact]
    public void Build_replaces_an_existing_index()
    {
        KeywordIndex.Build(_dir, [Note("only", "x.md", "", "Dropout randomly zeroes activations.")]);
        using var index = KeywordIndex.Open(_dir);
        Assert.Equal(1, index.Count);
        Assert.Empty(index.Search("GRU", 5));
        Assert.Equal("only", index.Search("dropout", 5).Single().ChunkId);
    }

    [Fact]
    public void An_update_keeps_the_segments_of_unchanged_notes_and_scores_as_a_fresh_build()
    {
        // Notes large enough for a segment each, with words shared across them so that document frequencies matter.
        static Chunk[] Long(string file, string topic, int count) =>
            [.. Enumerable.Range(0, count).Select(i => Note($"{file}#{i}", file, topic, $"{topic} passage {i} about gradient descent, {(i % 7 == 0 ? "momentum and " : "")}step {i % 13}."))];
        var before = Long("a.md", "Attention", 230).Concat(Long("b.md", "Batch norm", 230)).Concat(Long("c.md", "Convolution", 230)).ToList();
        var edited = Long("b.md", "Batch norm", 225);
        edited[5] = Note("b.md#5", "b.md", "Batch norm", "Batch norm passage about dropout at inference, rescaled.");
        var after = Long("a.md", "Attention", 230).Concat(edited).Concat(Long("d.md", "Dropout", 40)).ToList();
        var previous = TestPaths.NewTempDir("kwindex-before");
        var updated = Path.Combine(TestPaths.NewTempDir("kwindex-updated"), "keyword");
        var fresh = TestPaths.NewTempDir("kwindex-fresh");
        try
        {
            KeywordIndex.Build(previous, before);
            var segmentsBefore = Directory.GetFiles(previous, "*.cfs").Select(Path.GetFileName).ToHashSet();

            Assert.True(KeywordIndex.TryUpdate(previous, updated, after, new HashSet<string> { "b.md" }));
            KeywordIndex.Build(fresh, after);

            // a.md's segment is the previous one (c.md's went with the note, b.md's was written again); no deleted
            // document remains to count in the statistics, so every score is a fresh build's.
            var kept = Directory.GetFiles(updated, "*.cfs").Select(Path.GetFileName).Where(segmentsBefore.Contains).ToList();
            var segment = Assert.Single(kept);
            Assert.Equal(File.ReadAllBytes(Path.Combine(previous, segment!)), File.ReadAllBytes(Path.Combine(updated, segment!)));
            using var update = KeywordIndex.Open(updated);
            using var rebuilt = KeywordIndex.Open(fresh);
            Assert.Equal(after.Count, update.Count);
            foreach (var query in new[] { "momentum", "dropout at inference", "attention step 3", "convolution", "gradient descent passage 12" })
                Assert.Equal(rebuilt.Search(query, 20).Select(h => (h.ChunkId, h.Score)).Order(), update.Search(query, 20).Select(h => (h.ChunkId, h.Score)).Order());
            Assert.Equal(rebuilt.ScoreUpperBound("momentum dropout"), update.ScoreUpperBound("momentum dropout"));
            // The previous generation still reads as it was.
            using var old = KeywordIndex.Open(previous);
            Assert.Equal(before.Count, old.Count);
            Assert.NotEmpty(old.Search("convolution", 1));
        }
        finally
        {
            foreach (var dir in new[] { previous, Path.GetDirectoryName(updated)!, fresh }) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Equal_scores_rank_by_chunk_id_whatever_order_the_notes_were_written_in()
    {
        // Many more ties than hits asked for: which of them come first must not depend on the order they were written in.
        var notes = Enumerable.Range(0, 30).Select(i => Note($"card-{i:00}", $"n{i:00}.md", "", "What does dropout do?\n???\nIt zeroes random activations."))
            .Append(Note("other", "z.md", "", "Batch norm rescales activations.")).ToList();
        var forward = TestPaths.NewTempDir("kwindex-forward");
        var backward = TestPaths.NewTempDir("kwindex-backward");
        try
        {
            KeywordIndex.Build(forward, notes);
            KeywordIndex.Build(backward, Enumerable.Reverse(notes));
            using var first = KeywordIndex.Open(forward);
            using var second = KeywordIndex.Open(backward);
            Assert.Equal(["card-00", "card-01", "card-02", "card-03", "card-04"], second.Search("dropout", 5).Select(h => h.ChunkId));
            foreach (var k in new[] { 1, 2, 5, 31 })
            {
                Assert.Equal(first.Search("dropout", k), second.Search("dropout", k));
                Assert.Equal(first.Search("dropout activations", k), second.Search("dropout activations", k));
            }
        }
        finally
        {
            Directory.Delete(forward, true);
            Directory.Delete(backward, true);
        }
    }

    [Fact]
    public void Notes_added_one_by_one_do_not_leave_a_segment_each()
    {
        var notes = new List<Chunk>();
        var previous = TestPaths.NewTempDir("kwindex-small");
        KeywordIndex.Build(previous, notes.Append(Note("n00", "n00.md", "", "Note zero about dropout.")).ToList());
        notes.Add(Note("n00", "n00.md", "", "Note zero about dropout."));
        var folders = new List<string> { previous };
        try
        {
            for (var i = 1; i <= 6; i++)
            {
                notes.Add(Note($"n{i:00}", $"n{i:00}.md", "", $"Note {i} about dropout."));
                var next = Path.Combine(TestPaths.NewTempDir("kwindex-small"), "keyword");
                folders.Add(Path.GetDirectoryName(next)!);
                Assert.True(KeywordIndex.TryUpdate(previous, next, notes, new HashSet<string>()));
                previous = next;
                Assert.InRange(Directory.GetFiles(next, "*.cfs").Length, 1, 2);
            }
            using var index = KeywordIndex.Open(previous);
            Assert.Equal(notes.Count, index.Count);
            Assert.Equal(notes.Count, index.Search("dropout", 20).Count);
        }
        finally
        {
            foreach (var folder in folders) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Duplicate_chunk_ids_are_rejected_naming_the_files()
    {
        var dir = TestPaths.NewTempDir("kwindex-dup");
        try
        {
            var e = Assert.Throws<ArgumentException>(() => KeywordIndex.Build(dir,
                [Note("same", "a.md", "", "one"), Note("same", "b.md", "", "two")]));
            Assert.Contains("a.md", e.Message);
            Assert.Contains("b.md", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Opening_a_folder_without_an_index_says_so()
    {
        var empty = TestPaths.NewTempDir("kwindex-empty");
        try
        {
            var e = Assert.Throws<DirectoryNotFoundException>(() => KeywordIndex.Open(empty));
            Assert.Contains(empty, e.Message);
            Assert.Throws<DirectoryNotFoundException>(() => KeywordIndex.Open(Path.Combine(empty, "missing")));
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }

    [Fact]
    public void Retriever_returns_chunks_and_skips_ids_it_no_longer_knows()
    {
        using var index = KeywordIndex.Open(_dir);
        var known = Notes.Where(c => c.Id != "lstm").ToDictionary(c => c.Id);
        var hits = new KeywordRetriever(index, known).Search("forget gate", 5);
        Assert.Equal("gru", hits[0].Chunk.Id);
        Assert.Same(known["gru"], hits[0].Chunk);
        Assert.DoesNotContain(hits, h => h.Chunk.Id == "lstm");
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void Exact_analysis_keeps_notation_whole_and_in_parts()
    {
        using var exact = KeywordAnalysis.Exact();
        Assert.Equal(["sne", "t", "t-sne", "tsne"], KeywordAnalysis.Terms(exact, "exact", "t-SNE").Order(StringComparer.Ordinal));
        Assert.Contains("c++", KeywordAnalysis.Terms(exact, "exact", "C++"));
        Assert.Contains("x^2", KeywordAnalysis.Terms(exact, "exact", "x^2"));
        Assert.Contains("tfidf", KeywordAnalysis.Terms(exact, "exact", "tf-idf"));
        Assert.Equal(["l1", "relu", "f1"], KeywordAnalysis.Terms(exact, "exact", "L1, ReLU; F1"));
        using var stemmed = KeywordAnalysis.Stemmed();
        Assert.Equal(KeywordAnalysis.Terms(stemmed, "text", "regularization"), KeywordAnalysis.Terms(stemmed, "text", "regularizing"));
    }
}
