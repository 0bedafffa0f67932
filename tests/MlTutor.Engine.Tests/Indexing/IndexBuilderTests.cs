using MlTutor.Embedding;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using MlTutor.Tests.Embedding;

namespace MlTutor.Tests.Indexing;

/// <summary>Building, updating and opening an index on disk: real model, FAISS, SQLite and Lucene files.</summary>
public sealed class IndexBuilderTests(EncoderFixture encoders) : IClassFixture<EncoderFixture>
{
    private static readonly IndexManifest Settings = new(IndexManifest.CurrentSchema, "all-MiniLM-L6-v2", "fp32",
        MiniLmEncoder.HiddenSize, new ChunkerOptions().ToString(), "", 0, 0, default);

    private readonly string _corpus = NewCorpus();
    private readonly IndexFolder _folder = new(TestPaths.NewTempDir("mltutor-index"));

    private IndexBuildReport Build(Func<MiniLmEncoder>? encoder = null, IndexManifest? settings = null, CancellationToken ct = default) =>
        new IndexBuilder(_folder, encoder ?? (() => encoders.Fp32), settings ?? Settings)
            .BuildFromCorpus(_corpus, new CorpusReader(), new Chunker(encoders.Fp32.Tokenizer.CountPieces), cancellationToken: ct);

    [Fact]
    public void A_built_index_finds_each_chunk_by_its_own_text()
    {
        var report = Build();
        Assert.False(report.UpToDate);
        Assert.Equal(report.Chunks, report.Embedded);
        using var index = NotesIndex.Open(_folder);
        Assert.Equal(report.Chunks, index.Chunks.Count);
        Assert.Equal(index.Chunks.Count, index.Vectors.Count);
        var dense = new DenseRetriever(index, encoders.Fp32);
        foreach (var chunk in index.Chunks)
            Assert.Equal(chunk.Id, dense.Search(chunk.EmbeddedText, 1)[0].Chunk.Id);
        Assert.Single(Directory.GetDirectories(_folder.Directory, "g-*"));
    }

    [Fact]
    public void Nothing_changed_means_no_new_generation_and_no_encoder()
    {
        Build();
        var generation = _folder.CurrentGeneration;
        var again = Build(() => throw new InvalidOperationException("the encoder must not be needed"));
        Assert.True(again.UpToDate);
        Assert.Equal(generation, _folder.CurrentGeneration);
    }

    /// <summary>Sets every note's time of last change an hour back, as notes are when they were saved well before a build.</summary>
    private void SettleNotes()
    {
        foreach (var note in Directory.EnumerateFiles(_corpus))
            File.SetLastWriteTimeUtc(note, DateTime.UtcNow.AddHours(-1));
    }

    [Fact]
    public void Notes_of_unchanged_size_and_time_are_not_read_again()
    {
        for (var i = 0; i < 60; i++) File.WriteAllText(Path.Combine(_corpus, $"copy-{i:00}.md"), ManyLinedNote + $"\nCopy {i}.\n");
        SettleNotes();
        Build();
        var notes = Directory.EnumerateFiles(_corpus).Sum(f => new FileInfo(f).Length);

        Assert.True(Build().UpToDate); // warm
        long CheckReads()
        {
            var before = ThreadIo.BytesRead;
            Assert.True(Build(() => throw new InvalidOperationException("the encoder must not be needed")).UpToDate);
            return ThreadIo.BytesRead - before;
        }
        var settled = CheckReads();
        foreach (var note in Directory.EnumerateFiles(_corpus)) File.SetLastWriteTimeUtc(note, DateTime.UtcNow.AddMinutes(-30));
        var touched = CheckReads();

        // Saved again with the same bytes, every note is read to find it unchanged; untouched, none is.
        Assert.True(touched - settled >= notes * 9 / 10, $"the check read {settled} bytes, {touched} once every note was touched; the notes hold {notes}");
    }

    [Fact]
    public void A_note_saved_again_unchanged_is_read_and_found_unchanged_and_one_edited_to_the_same_size_is_found()
    {
        SettleNotes();
        var first = Build();
        var note = Directory.EnumerateFiles(_corpus).First();
        File.SetLastWriteTimeUtc(note, DateTime.UtcNow.AddMinutes(-30)); // saved again, same bytes
        Assert.True(Build(() => throw new InvalidOperationException("nothing changed")).UpToDate);

        var text = File.ReadAllText(note);
        var i = text.IndexOf('e');
        File.WriteAllText(note, text[..i] + "E" + text[(i + 1)..]); // same size, new time
        File.SetLastWriteTimeUtc(note, DateTime.UtcNow.AddMinutes(-20));
        var edited = Build();
        Assert.False(edited.UpToDate);
        Assert.Equal(1, edited.ChangedFiles);
        Assert.Equal(first.Chunks, edited.Chunks);
    }

    [Fact]
    public void Nothing_changed_is_decided_without_reading_the_stored_chunks_and_vectors()
    {
        // The check runs before every question: at 10,000 chunks the stored chunks and vectors are over 200 MB.
        // Copies of one note share their vectors, so this store is large for the little the encoder has to do.
        for (var i = 0; i < 60; i++) File.WriteAllText(Path.Combine(_corpus, $"copy-{i:00}.md"), ManyLinedNote);
        var built = Build();
        var store = new FileInfo(Path.Combine(_folder.CurrentGeneration!, ChunkStore.FileName)).Length;

        Assert.True(Build().UpToDate); // warm: the first check also loads code
        var before = ThreadIo.BytesRead;
        var again = Build(() => throw new InvalidOperationException("the encoder must not be needed"));
        var read = ThreadIo.BytesRead - before;

        Assert.True(again.UpToDate);
        Assert.Equal(built.Chunks, again.Chunks);
        // What is read is the notes themselves, the manifest, the files' hashes, the FAISS headers and the keyword index.
        Assert.True(read < store / 10, $"the check read {read} bytes; the store holds {store}");
    }

    [Fact]
    public void Ready_made_passages_already_indexed_are_found_up_to_date_without_reading_their_vectors()
    {
        var chunks = Enumerable.Range(0, 300)
            .Select(i => new Chunk($"p{i}", $"doc{i % 30}", "", 1, 3, ManyLinedNote, ManyLinedNote, 40)).ToList();
        var builder = new IndexBuilder(_folder, () => encoders.Fp32, Settings);
        Assert.False(builder.BuildFromChunks(chunks, "test:1").UpToDate);
        var store = new FileInfo(Path.Combine(_folder.CurrentGeneration!, ChunkStore.FileName)).Length;

        Assert.True(builder.BuildFromChunks(chunks, "test:1").UpToDate); // warm
        var before = ThreadIo.BytesRead;
        var again = builder.BuildFromChunks(chunks, "test:1");
        var read = ThreadIo.BytesRead - before;

        Assert.True(again.UpToDate);
        Assert.True(read < store / 10, $"the check read {read} bytes; the store holds {store}");
        // Another source, or another number of passages, is built again.
        Assert.False(builder.BuildFromChunks(chunks, "test:2").UpToDate);
        Assert.False(builder.BuildFromChunks(chunks[..299], "test:2").UpToDate);
    }

    [Fact]
    public void Opening_reads_the_vectors_once_from_the_faiss_files_and_not_again_from_the_store()
    {
        // chunks.db keeps every vector for the next build to reuse (over 150 MB at 10,000 chunks with their line windows);
        // the FAISS files hold the same vectors, and searching needs those loaded.
        for (var i = 0; i < 60; i++) File.WriteAllText(Path.Combine(_corpus, $"copy-{i:00}.md"), ManyLinedNote);
        Build();
        var generation = _folder.CurrentGeneration!;
        var db = Path.Combine(generation, ChunkStore.FileName);
        var store = new FileInfo(db).Length;
        var faiss = new FileInfo(Path.Combine(generation, NotesIndex.VectorsFile)).Length
            + new FileInfo(Path.Combine(generation, NotesIndex.WindowsFile)).Length;

        NotesIndex.Open(_folder).Dispose(); // warm: the first opening also loads code
        var before = ThreadIo.BytesRead;
        using var index = NotesIndex.Open(_folder);
        var read = ThreadIo.BytesRead - before;

        // The FAISS files twice (checked against their checksums, then loaded), and besides them: the chunks' texts (whose
        // pages hold the chunks' vectors too), the windows' chunks from an index of chunks.db, and the keyword index; not
        // the windows' table, which is mostly vectors.
        Assert.True(read - 2 * faiss < store / 2, $"opening read {read} bytes; the FAISS files hold {faiss}, chunks.db {store}");
        var chunks = ChunkStore.ReadChunks(db);
        var windows = ChunkStore.ReadWindows(db);
        Assert.Equal(chunks.Select(s => s.Chunk), index.Chunks);
        Assert.Equal(windows.Select(w => (int)w.ChunkRow), index.WindowChunkRows);
        for (var row = 0; row < chunks.Count; row++)
            Assert.Equal(chunks[row].Vector, index.ChunkVector(row).ToArray());
        for (var w = 0; w < windows.Count; w++)
            Assert.Equal(windows[w].Vector, index.WindowVector(w).ToArray());
    }

    [Fact]
    public void Vectors_saved_in_another_order_are_opened_by_their_ids_and_an_id_beyond_the_chunks_is_reported()
    {
        Build();
        var generation = _folder.CurrentGeneration!;
        var stored = ChunkStore.ReadChunks(Path.Combine(generation, ChunkStore.FileName));
        void SaveVectors(long[] ids)
        {
            using var faiss = FaissIndex.CreateInnerProduct(Settings.Dimension);
            faiss.Add(ids, ids.SelectMany(id => stored[(int)Math.Min(id, stored.Count - 1)].Vector).ToArray());
            faiss.Save(Path.Combine(generation, NotesIndex.VectorsFile));
            RecordChecksums(generation); // saved on purpose, not damaged
        }

        SaveVectors(Enumerable.Range(0, stored.Count).Reverse().Select(i => (long)i).ToArray());
        using (var index = NotesIndex.Open(_folder))
            for (var row = 0; row < stored.Count; row++)
                Assert.Equal(stored[row].Vector, index.ChunkVector(row).ToArray());

        SaveVectors([.. Enumerable.Range(0, stored.Count - 1).Select(i => (long)i), stored.Count]);
        var e = Assert.Throws<IndexCorruptException>(() => NotesIndex.Open(_folder));
        Assert.Equal(Remedy.RebuildIndex, e.Remedy);
    }

    [Fact]
    public void Chunks_read_from_the_index_carry_the_structure_they_were_cut_with_also_when_reused()
    {
        File.WriteAllText(Path.Combine(_corpus, "cards.md"), "# Cards\n\nWhat is dropout?\n???\nZeroing random activations.\n\n---\n\n**Q: Why scale at test time?**\n\nA: To keep the expected activation.\n");
        Build();
        File.AppendAllText(Path.Combine(_corpus, "b.md"), "\n## Batch normalization\n\nBatch normalization standardises activations over the mini-batch.\n");
        var update = Build();
        Assert.True(update.Reused > 0);

        using var index = NotesIndex.Open(_folder);
        var chunker = new Chunker(encoders.Fp32.Tokenizer.CountPieces);
        var cut = new CorpusReader().ReadAll(_corpus, new List<IngestionWarning>()).SelectMany(n => chunker.Chunk(n, new List<IngestionWarning>()));
        // Each chunk as it was cut, its structure too: the changed note's chunks new, the others' reused from the last build.
        Assert.Equal(cut.OrderBy(c => c.Id, StringComparer.Ordinal), index.Chunks.OrderBy(c => c.Id, StringComparer.Ordinal));
        Assert.Contains(index.Chunks, c => c.Structure!.Items.Any(i => i.Kind == ItemKind.Flashcard && i.Question == "What is dropout?"));
        Assert.Contains(index.Chunks, c => c.Structure!.Items.Any(i => i.Kind == ItemKind.QaPair && i.Question == "**Q: Why scale at test time?**"));
        Assert.All(index.Chunks, c => Assert.Equal(c, index.FindById(c.Id)));
    }

    [Fact]
    public void An_edit_re_embeds_only_the_changed_passages()
    {
        var first = Build();
        File.AppendAllText(Path.Combine(_corpus, "b.md"), "\n## Batch normalization\n\nBatch normalization standardises activations over the mini-batch.\n");
        var update = Build();
        Assert.Equal(1, update.ChangedFiles);
        Assert.Equal(1, update.Embedded);
        Assert.Equal(first.Chunks + 1, update.Chunks);
        using var index = NotesIndex.Open(_folder);
        Assert.Contains(index.Chunks, c => c.HeadingPath.EndsWith("Batch normalization"));
        // The kept vectors (read from the last generation's FAISS files) are each at their chunk's row.
        var dense = new DenseRetriever(index, encoders.Fp32);
        foreach (var chunk in index.Chunks)
            Assert.Equal(chunk.Id, dense.Search(chunk.EmbeddedText, 1)[0].Chunk.Id);
    }

    [Fact]
    public void An_update_writes_row_for_row_what_a_full_build_of_the_same_notes_writes()
    {
        for (var i = 0; i < 4; i++) File.WriteAllText(Path.Combine(_corpus, $"m-{i}.md"), ManyLinedNote + $"\nNote {i}.\n");
        Build();
        // A passage added to a note in the middle (the rows of the notes after it move), a note removed, one added between
        // two, one renamed (last in the order now).
        File.AppendAllText(Path.Combine(_corpus, "m-1.md"),
            "\n## Batch normalization\n\nBatch normalization standardises activations over the mini-batch.\nIt learns a scale and a shift.\n");
        File.Delete(Path.Combine(_corpus, "m-2.md"));
        File.WriteAllText(Path.Combine(_corpus, "c.md"), "# Losses\n\n## Cross-entropy\n\nCross-entropy compares predicted probabilities with the labels.\n");
        File.Move(Path.Combine(_corpus, "a.md"), Path.Combine(_corpus, "z.md"));

        var update = Build();
        Assert.True(update.Updated);
        Assert.Equal(2, update.Embedded); // the new passage and the new note; the renamed note reuses its vectors
        AssertWrittenAsAFullBuildWrites();
    }

    [Fact]
    public void An_edit_inside_a_note_that_keeps_most_of_its_rows_writes_row_for_row_what_a_full_build_writes()
    {
        for (var i = 0; i < 4; i++) File.WriteAllText(Path.Combine(_corpus, $"m-{i}.md"), ManyLinedNote + $"\nNote {i}.\n");
        Build();
        // A line made longer (the note's other passage and most of its windows come out as they were, at the same rows),
        // and a line added at the top of another note's first passage (its lines below move).
        var m1 = Path.Combine(_corpus, "m-1.md");
        File.WriteAllText(m1, File.ReadAllText(m1).Replace("at every step.", "at every step, a little."));
        var m2 = Path.Combine(_corpus, "m-2.md");
        File.WriteAllText(m2, File.ReadAllText(m2).Replace("## Dropout\n\n", "## Dropout\n\nDropout is switched off at inference.\n"));

        var update = Build();
        Assert.True(update.Updated);
        Assert.Equal(2, update.Embedded);
        AssertWrittenAsAFullBuildWrites();
    }

    /// <summary>That the current generation holds, row for row, what a full build of the same notes writes.</summary>
    private void AssertWrittenAsAFullBuildWrites()
    {
        var fresh = new IndexFolder(TestPaths.NewTempDir("mltutor-index"));
        var full = new IndexBuilder(fresh, () => encoders.Fp32, Settings)
            .BuildFromCorpus(_corpus, new CorpusReader(), new Chunker(encoders.Fp32.Tokenizer.CountPieces));
        Assert.False(full.Updated);

        var updated = _folder.CurrentGeneration!;
        var written = fresh.CurrentGeneration!;
        foreach (var query in new[]
                 {
                     "SELECT row, id, file, heading_path, start_line, end_line, text, embedded_text, tokens, embedded_hash, blank_lines_after, structure FROM chunks ORDER BY row",
                     "SELECT row, chunk_row, text FROM windows ORDER BY row",
                     "SELECT path, content_hash, chunks FROM files ORDER BY path",
                 })
            Assert.Equal(Rows(written, query), Rows(updated, query));
        foreach (var (file, count) in new[] { (NotesIndex.VectorsFile, full.Chunks), (NotesIndex.WindowsFile, Rows(written, "SELECT row FROM windows").Count) })
        {
            var expected = FaissFileLayout.ReadInIdOrder(Path.Combine(written, file), count, Settings.Dimension)!;
            var actual = FaissFileLayout.ReadInIdOrder(Path.Combine(updated, file), count, Settings.Dimension);
            Assert.NotNull(actual);
            for (var row = 0; row < count; row++)
                Assert.True(expected[row].Zip(actual[row]).All(p => Math.Abs(p.First - p.Second) < 1e-4), $"{file} row {row} differs");
        }
        Assert.Null(GenerationCheck.FindChanged(updated, IndexManifest.Read(Path.Combine(updated, IndexManifest.FileName)).Checksums));
        using var index = NotesIndex.Open(_folder);
        Assert.Equal(full.Chunks, index.Keywords.Count);
    }

    [Fact]
    public void An_edit_over_a_vector_file_damaged_inside_does_not_copy_the_damage_on_but_writes_the_index_whole()
    {
        File.WriteAllText(Path.Combine(_corpus, "c.md"), "# Losses\n\n## Hinge\n\nThe hinge loss of an SVM is max(0, 1 - y f(x)).\n\n## Huber\n\nHuber loss is quadratic near zero and linear far from it.\n");
        var first = Build();
        // Bytes overwritten in the middle of the vectors, the file's size kept: only its checksum tells. The update before a
        // question (as here) does not check every byte of the last generation the way `index` does, so the update must.
        var path = Path.Combine(_folder.CurrentGeneration!, NotesIndex.VectorsFile);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length / 2;
            file.Write(Enumerable.Repeat((byte)0x5A, 64).ToArray());
        }
        File.AppendAllText(Path.Combine(_corpus, "b.md"), "\n## Batch normalization\n\nBatch normalization standardises activations over the mini-batch.\n");

        var update = Build();
        Assert.False(update.Updated);
        using var index = NotesIndex.Open(_folder);
        Assert.Equal(first.Chunks + 1, index.Chunks.Count);
        var dense = new DenseRetriever(index, encoders.Fp32);
        foreach (var chunk in index.Chunks)
            Assert.Equal(chunk.Id, dense.Search(chunk.EmbeddedText, 1)[0].Chunk.Id);
    }

    /// <summary>Every row of a query on a generation's chunks.db, each as one line of its values.</summary>
    private static List<string> Rows(string generation, string query)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(generation, ChunkStore.FileName)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = query;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
        return rows;
    }

    [Fact]
    public void An_edit_writes_the_keyword_segment_of_its_note_again_and_shares_the_others_with_the_last_generation()
    {
        for (var i = 0; i < 60; i++) File.WriteAllText(Path.Combine(_corpus, $"copy-{i:00}.md"), ManyLinedNote);
        Build();
        // A reader holds the first generation, so that both are on disk to compare.
        using var held = NotesIndex.Open(_folder);
        File.AppendAllText(Path.Combine(_corpus, "copy-59.md"), "\n## Batch normalization\n\nBatch normalization standardises activations over the mini-batch.\n");
        var update = Build();

        Assert.Equal(1, update.Embedded);
        var before = Path.Combine(held.Generation, NotesIndex.KeywordFolder);
        var after = Path.Combine(_folder.CurrentGeneration!, NotesIndex.KeywordFolder);
        Assert.NotEqual(before, after);
        var segments = Directory.GetFiles(before, "*.cfs").Select(Path.GetFileName).ToList();
        Assert.True(segments.Count > 1, $"the notes were written as {segments.Count} segment");
        var shared = segments.Where(s => File.Exists(Path.Combine(after, s!)) && Inode(Path.Combine(before, s!)) == Inode(Path.Combine(after, s!))).ToList();
        Assert.Equal(segments.Count - 1, shared.Count);
        using var index = NotesIndex.Open(_folder);
        Assert.Equal(update.Chunks, index.Keywords.Count);
        Assert.Equal("copy-59.md", index.FindById(index.Keywords.Search("batch normalization mini-batch", 1)[0].ChunkId)!.File);
    }

    private static string Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return inode;
    }

    [Fact]
    public void A_build_that_fails_half_way_leaves_the_previous_index_current_and_readable()
    {
        Build();
        var generation = _folder.CurrentGeneration;
        File.AppendAllText(Path.Combine(_corpus, "a.md"), "\nA new paragraph about gradient clipping, which caps the gradient norm.\n");
        Assert.Throws<IOException>(() => Build(() => throw new IOException("disk full")));
        Assert.Equal(generation, _folder.CurrentGeneration);
        using (var index = NotesIndex.Open(_folder))
            Assert.DoesNotContain(index.Chunks, c => c.Text.Contains("gradient clipping"));
        Assert.Single(Directory.GetDirectories(_folder.Directory, "g-*"));

        // The next build picks the edit up.
        var report = Build();
        Assert.Equal(1, report.ChangedFiles);
    }

    [Fact]
    public void A_cancelled_build_keeps_the_previous_index()
    {
        Build();
        var generation = _folder.CurrentGeneration;
        File.WriteAllText(Path.Combine(_corpus, "c.md"), "# Pooling\n\nMax pooling keeps the largest activation of each window.\n");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Build(ct: cancel.Token));
        Assert.Equal(generation, _folder.CurrentGeneration);
    }

    [Fact]
    public void A_second_writer_gets_a_clear_error()
    {
        using var held = _folder.AcquireWriteLock();
        var e = Assert.Throws<IndexBusyException>(() => Build());
        Assert.Contains(_folder.Directory, e.Message);
    }

    [Fact]
    public void Another_chunking_re_chunks_and_re_embeds_every_note()
    {
        // What the host records when the chunker's version or options change: no chunk of the old cut is reused.
        var first = Build();
        var recut = Build(settings: Settings with { ChunkingSignature = $"v{Chunker.Version + 1} {new ChunkerOptions()}" });
        Assert.False(recut.UpToDate);
        Assert.Equal(first.Chunks, recut.Embedded);
    }

    [Fact]
    public void Another_model_variant_re_embeds_everything()
    {
        var first = Build();
        var int8 = Build(() => encoders.Int8, Settings with { ModelVariant = "int8" });
        Assert.False(int8.UpToDate);
        Assert.Equal(first.Chunks, int8.Embedded);
    }

    [Fact]
    public void A_damaged_index_folder_is_reported_with_the_fix()
    {
        Build();
        File.WriteAllText(Path.Combine(_folder.Directory, "CURRENT"), "g-missing\n");
        var e = Assert.Throws<IndexCorruptException>(() => NotesIndex.Open(_folder));
        Assert.Equal(Remedy.RebuildIndex, e.Remedy);
        Assert.Throws<IndexNotBuiltException>(() => NotesIndex.Open(new IndexFolder(TestPaths.NewTempDir())));
    }

    [Theory]
    [InlineData("vectors.faiss")]
    [InlineData("windows.faiss")]
    [InlineData("keyword")]
    [InlineData("keyword/segments_1")]
    public void A_damaged_vector_or_keyword_file_fails_to_open_with_the_fix_and_the_next_build_repairs_it_without_embedding(string damaged)
    {
        var first = Build();
        var path = Path.Combine(_folder.CurrentGeneration!, damaged);
        if (Directory.Exists(path))
            foreach (var file in Directory.GetFiles(path)) File.WriteAllBytes(file, File.ReadAllBytes(file)[..Math.Min(20, (int)new FileInfo(file).Length)]);
        else if (damaged.StartsWith("keyword/")) File.Delete(path);
        else File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);

        // A file changed inside is found by its checksum, and index repairs it; one whose layout no longer loads (a
        // generation without checksums) fails as it opens, and a rebuild replaces it.
        var e = Assert.ThrowsAny<Exception>(() => NotesIndex.Open(_folder));
        Assert.True(e is IndexDamagedException or IndexCorruptException, e.ToString());
        Assert.Contains(((TutorException)e).Remedy, new[] { Remedy.UpdateIndex, Remedy.RebuildIndex });

        var repair = Build(() => throw new InvalidOperationException("the stored vectors must be reused"));
        Assert.False(repair.UpToDate);
        Assert.Equal(0, repair.Embedded);
        Assert.Contains(repair.Warnings, w => w.Message.Contains("damaged"));
        using var index = NotesIndex.Open(_folder);
        Assert.Equal(first.Chunks, index.Chunks.Count);
        Assert.Equal(first.Chunks, index.Keywords.Count);
        Assert.True(Build().UpToDate);
    }

    [Fact]
    public void A_damaged_store_keeps_the_vectors_of_the_rows_that_still_match_the_vector_files_and_embeds_the_rest()
    {
        var first = Build();
        var store = Path.Combine(_folder.CurrentGeneration!, ChunkStore.FileName);
        var (_, windows) = ChunkStore.ReadCounts(store);
        // Changed in place, as damage would: a chunk's vector, another chunk's text, a line window's vector. The store no
        // longer matches its checksum, and these rows no longer match the vector files or their own hash.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Pooling=False"))
        {
            connection.Open();
            using var damage = connection.CreateCommand();
            damage.CommandText = """
                UPDATE chunks SET vector = zeroblob(length(vector)) WHERE row = 0;
                UPDATE chunks SET embedded_text = embedded_text || ' and more' WHERE row = 1;
                UPDATE windows SET vector = zeroblob(length(vector)) WHERE row = 2;
                """;
            damage.ExecuteNonQuery();
        }

        var repair = new IndexBuilder(_folder, () => encoders.Fp32, Settings)
            .BuildFromCorpus(_corpus, new CorpusReader(), new Chunker(encoders.Fp32.Tokenizer.CountPieces), verifyContents: true);

        Assert.Equal(2, repair.Embedded);
        Assert.Equal(first.Chunks - 2, repair.Reused);
        var warning = Assert.Single(repair.Warnings, w => w.Message.Contains("damaged")).Message;
        Assert.Contains("chunks.db does not match its checksum", warning);
        Assert.Contains($"{first.Chunks - 2} of {first.Chunks} passages and {windows - 1} of {windows} line windows", warning);
        using var index = NotesIndex.Open(_folder);
        var dense = new DenseRetriever(index, encoders.Fp32);
        foreach (var chunk in index.Chunks)
            Assert.Equal(chunk.Id, dense.Search(chunk.EmbeddedText, 1)[0].Chunk.Id);
    }

    [Theory]
    [InlineData("vectors.faiss", "one byte short")]
    [InlineData("windows.faiss", "one byte short")]
    [InlineData("vectors.faiss", "extra bytes")]
    [InlineData("windows.faiss", "extra bytes")]
    [InlineData("vectors.faiss", "another count in the header")]
    [InlineData("windows.faiss", "another count in the header")]
    public void A_faiss_file_cut_short_extended_or_with_a_wrong_count_is_rebuilt_from_the_stored_vectors(string file, string damage)
    {
        var first = Build();
        var path = Path.Combine(_folder.CurrentGeneration!, file);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "one byte short": bytes = bytes[..^1]; break;
            case "extra bytes": bytes = [.. bytes, .. new byte[8]]; break;
            default:
                // The count of the ID map's header and of its storage's header (see FaissFileLayout), raised alike.
                foreach (var offset in (int[])[8, 45])
                    System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset),
                        System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset)) + 1);
                break;
        }
        File.WriteAllBytes(path, bytes);

        var repair = Build(() => throw new InvalidOperationException("the stored vectors must be reused"));
        Assert.False(repair.UpToDate);
        Assert.Equal(0, repair.Embedded);
        Assert.Contains(repair.Warnings, w => w.Message.Contains("damaged") && w.Message.Contains(file));
        using var index = NotesIndex.Open(_folder);
        Assert.Equal(first.Chunks, index.Chunks.Count);
        Assert.True(Build().UpToDate);
    }

    [Fact]
    public void A_current_pointer_to_a_missing_generation_is_pointed_at_the_newest_complete_one_by_the_next_build()
    {
        var first = Build();
        var good = _folder.CurrentGeneration;
        File.WriteAllText(Path.Combine(_folder.Directory, "CURRENT"), "g-missing\n");
        var repaired = Build(() => throw new InvalidOperationException("nothing needs embedding"));
        Assert.Equal(0, repaired.Embedded);
        Assert.Contains(repaired.Warnings, w => w.Message.Contains("is current again"));
        Assert.Equal(good, _folder.CurrentGeneration);
        using var index = NotesIndex.Open(_folder);
        Assert.Equal(first.Chunks, index.Chunks.Count);
    }

    /// <summary>Records the generation's files as they are now in its manifest, as a build would have.</summary>
    private static void RecordChecksums(string generation)
    {
        var path = Path.Combine(generation, IndexManifest.FileName);
        var manifest = IndexManifest.Read(path);
        File.WriteAllText(path, (manifest with { Checksums = GenerationCheck.Checksums(generation) }).ToJson());
    }

    /// <summary>A note of one topic whose lines give many line windows.</summary>
    private const string ManyLinedNote = """
        # Regularization

        ## Dropout

        Dropout zeroes random activations during training.
        Each unit is kept with probability p.
        At test time the activations are scaled by p instead.
        It acts like an ensemble of thinned networks.

        ## Weight decay

        Weight decay adds an L2 penalty on the weights to the loss.
        It shrinks the weights towards zero at every step.
        With plain SGD it equals L2 regularization; with Adam it does not.
        """;

    private static string NewCorpus()
    {
        var dir = TestPaths.NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(dir, "a.md"), "# Optimizers\n\n## Momentum\n\nMomentum keeps a running velocity of past gradients.\n\n## Adam\n\nAdam adds bias-corrected first and second moment estimates.\n");
        File.WriteAllText(Path.Combine(dir, "b.md"), "# Regularization\n\n## Dropout\n\nDropout zeroes random activations during training.\n");
        return dir;
    }
}
