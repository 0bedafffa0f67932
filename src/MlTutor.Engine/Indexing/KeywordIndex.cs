using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using MlTutor.Ingestion;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace MlTutor.Indexing;

/// <summary>
/// A Lucene BM25 index of chunks in a folder on disk. Each chunk is indexed under several fields (stemmed text,
/// notation-keeping text, heading path, flashcard question) whose weights are chosen at query time
/// (<see cref="KeywordIndexOptions"/>). Queries are plain user text: they are analysed into terms and OR-ed, never
/// parsed as query syntax, so no input can make a search fail.
/// </summary>
public sealed class KeywordIndex : IDisposable
{
    internal const string IdField = "id";
    internal const string TextField = "text";
    internal const string ExactField = "exact";
    internal const string HeadingField = "heading";
    internal const string LeadField = "lead";
    /// <summary>The note a chunk comes from: indexed, not stored, so that an update can tell which notes a segment holds.</summary>
    internal const string FileField = "file";

    private readonly LuceneDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly string[] _ids;
    private readonly Analyzer _stemmed = KeywordAnalysis.Stemmed();
    private static readonly Sort ScoreThenId = new(SortField.FIELD_SCORE, new SortField(IdField, SortFieldType.STRING));
    private readonly Analyzer _exact = KeywordAnalysis.Exact();

    private KeywordIndex(LuceneDirectory directory, DirectoryReader reader, KeywordIndexOptions options)
    {
        _directory = directory;
        _reader = reader;
        Options = options;
        _searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity(options.K1, options.B) };
        // Ids are read once: the index is small and written once, and this keeps stored-field reads out of every search.
        _ids = new string[reader.MaxDoc];
        for (var doc = 0; doc < reader.MaxDoc; doc++)
            _ids[doc] = reader.Document(doc).Get(IdField);
    }

    public KeywordIndexOptions Options { get; }

    /// <summary>Number of indexed chunks.</summary>
    public int Count => _reader.NumDocs;

    /// <summary>
    /// Writes a fresh index of <paramref name="chunks"/> into <paramref name="directory"/> (created if missing;
    /// an index already there is replaced).
    /// </summary>
    /// <exception cref="ArgumentException">Two chunks share an id.</exception>
    public static void Build(string directory, IEnumerable<Chunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        System.IO.Directory.CreateDirectory(directory);
        Write(directory, OpenMode.CREATE, new HashSet<string>(), chunks);
    }

    /// <summary>
    /// Writes into <paramref name="directory"/> the index of <paramref name="chunks"/> (every note's, in note order) as an
    /// update of the index in <paramref name="previous"/>: the segments holding only unchanged notes are linked, not
    /// written again, and only the segments holding an edited or removed note are replaced, with every note they held.
    /// Whole segments go, so no deleted document is left to count in BM25's statistics: the scores are those of a fresh
    /// build. False, with nothing written, when <paramref name="previous"/> cannot be updated so (its segments do not name
    /// their notes, or it holds deleted documents): the caller then builds afresh.
    /// </summary>
    /// <param name="changedNotes">Notes whose content differs from what <paramref name="previous"/> holds of them.</param>
    public static bool TryUpdate(string previous, string directory, IReadOnlyList<Chunk> chunks, IReadOnlySet<string> changedNotes)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return TryUpdate(previous, directory, chunks.Select(c => c.File).ToHashSet(StringComparer.Ordinal),
            notes => chunks.Where(c => notes.Contains(c.File)), changedNotes);
    }

    /// <summary>As <see cref="TryUpdate(string, string, IReadOnlyList{Chunk}, IReadOnlySet{string})"/>, reading the chunks of
    /// only the notes it writes again: an update of the index need not hold every note's chunks.</summary>
    /// <param name="notes">Every note of the new index.</param>
    /// <param name="chunksOf">The chunks of the notes asked for, every note's in note order.</param>
    internal static bool TryUpdate(string previous, string directory, IReadOnlySet<string> notes, Func<IReadOnlySet<string>, IEnumerable<Chunk>> chunksOf,
        IReadOnlySet<string> changedNotes)
    {
        ArgumentNullException.ThrowIfNull(changedNotes);
        if (NotesBySegment(previous) is not { } segments) return false;
        var indexed = segments.SelectMany(s => s.Notes).ToHashSet(StringComparer.Ordinal);
        var replaced = indexed.Where(n => changedNotes.Contains(n) || !notes.Contains(n)).ToHashSet(StringComparer.Ordinal);
        // Segments smaller than a note's own are written again together once there are two, so that notes added one by
        // one over months do not leave a segment each.
        var small = segments.Where(s => s.Documents < SegmentChunks).ToList();
        if (small.Count > 1)
            foreach (var segment in small) replaced.UnionWith(segment.Notes);
        // A segment losing any note goes whole, its other notes written again; repeated, in case a note spans segments.
        while (segments.Select(s => s.Notes).FirstOrDefault(n => n.Overlaps(replaced) && !n.IsSubsetOf(replaced)) is { } held)
            replaced.UnionWith(held);
        System.IO.Directory.CreateDirectory(directory);
        SegmentFiles.Share(previous, directory);
        var written = notes.Where(n => replaced.Contains(n) || !indexed.Contains(n)).ToHashSet(StringComparer.Ordinal);
        Write(directory, OpenMode.APPEND, replaced, chunksOf(written));
        return true;
    }

    /// <summary>A note of this many chunks is a segment of its own; smaller notes share one until it holds as many. An edit
    /// then writes its note's segment again (with the small notes beside it), and many small documents stay a few segments.</summary>
    private const int SegmentChunks = 100;

    /// <summary>Writes <paramref name="chunks"/> into the index in <paramref name="directory"/>, after deleting every
    /// document of the notes in <paramref name="deleted"/>: in segments of whole notes (see <see cref="SegmentChunks"/>),
    /// never merged, so that a later update can replace a note's segment whole.</summary>
    private static void Write(string directory, OpenMode mode, IReadOnlySet<string> deleted, IEnumerable<Chunk> chunks)
    {
        using var dir = FSDirectory.Open(directory);
        var stemmed = KeywordAnalysis.Stemmed();
        using var analyzer = new PerFieldAnalyzerWrapper(stemmed,
            new Dictionary<string, Analyzer> { [ExactField] = KeywordAnalysis.Exact() });
        var config = new IndexWriterConfig(KeywordAnalysis.Version, analyzer)
        {
            OpenMode = mode,
            // Length norms are encoded at index time; BM25's encoding is kept so that k1/b can change at search time.
            Similarity = new BM25Similarity(),
            MergePolicy = NoMergePolicy.COMPOUND_FILES,
        };
        using var writer = new IndexWriter(dir, config);
        foreach (var note in deleted)
            writer.DeleteDocuments(new Term(FileField, note));
        var seen = new Dictionary<string, Chunk>(StringComparer.Ordinal);
        var inSegment = 0;
        foreach (var note in chunks.GroupBy(c => c.File, StringComparer.Ordinal))
        {
            var noteChunks = note.ToList();
            if (inSegment > 0 && (inSegment >= SegmentChunks || noteChunks.Count >= SegmentChunks))
            {
                writer.Flush(triggerMerge: false, applyAllDeletes: true);
                inSegment = 0;
            }
            foreach (var chunk in noteChunks)
                Add(writer, chunk, seen);
            inSegment += noteChunks.Count;
        }
        writer.Commit();
    }

    private static void Add(IndexWriter writer, Chunk chunk, Dictionary<string, Chunk> seen)
    {
        if (!seen.TryAdd(chunk.Id, chunk))
            throw new ArgumentException(
                $"Chunk id '{chunk.Id}' occurs twice ({seen[chunk.Id].File}:{seen[chunk.Id].StartLine} and {chunk.File}:{chunk.StartLine}).",
                "chunks");
        var doc = new Document
        {
            new StringField(IdField, chunk.Id, Field.Store.YES),
            new StringField(FileField, chunk.File, Field.Store.NO),
            new TextField(TextField, chunk.Text, Field.Store.NO),
            new TextField(ExactField, chunk.Text, Field.Store.NO),
            new TextField(HeadingField, chunk.HeadingPath, Field.Store.NO),
            new TextField(LeadField, LeadOf(chunk), Field.Store.NO),
        };
        writer.AddDocument(doc);
    }

    /// <summary>The notes each segment of the index in <paramref name="directory"/> holds, and its number of documents; null
    /// when a segment holds documents without their note (an index written before they were named) or deleted documents.</summary>
    private static List<(HashSet<string> Notes, int Documents)>? NotesBySegment(string directory)
    {
        using var dir = FSDirectory.Open(directory);
        using var reader = DirectoryReader.Open(dir);
        var segments = new List<(HashSet<string>, int)>();
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            if (segment.HasDeletions) return null;
            var notes = new HashSet<string>(StringComparer.Ordinal);
            var terms = segment.GetTerms(FileField)?.GetEnumerator();
            while (terms is not null && terms.MoveNext()) notes.Add(terms.Term.Utf8ToString());
            if (notes.Count == 0 && segment.NumDocs > 0) return null;
            segments.Add((notes, segment.NumDocs));
        }
        return segments;
    }

    /// <summary>Opens the index that <see cref="Build"/> wrote into <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist or holds no index.</exception>
    public static KeywordIndex Open(string directory, KeywordIndexOptions? options = null)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Keyword index folder not found: {directory}");
        var dir = FSDirectory.Open(directory);
        try
        {
            if (!DirectoryReader.IndexExists(dir))
                throw new DirectoryNotFoundException($"No keyword index in {directory}");
            return new KeywordIndex(dir, DirectoryReader.Open(dir), options ?? KeywordIndexOptions.Default);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Why the index in <paramref name="directory"/> cannot serve <paramref name="expectedCount"/> chunks (a missing or
    /// truncated file, a checksum that does not match, another number of documents), or null when it can. Every file's
    /// checksum is verified, so damage is found here rather than in the middle of a search.
    /// </summary>
    public static string? FindDamage(string directory, int expectedCount)
    {
        if (!System.IO.Directory.Exists(directory)) return $"{directory} is missing";
        try
        {
            using var dir = FSDirectory.Open(directory);
            if (!DirectoryReader.IndexExists(dir)) return $"{directory} holds no keyword index";
            using var reader = DirectoryReader.Open(dir);
            foreach (var leaf in reader.Leaves) leaf.AtomicReader.CheckIntegrity();
            return reader.NumDocs == expectedCount ? null : $"{directory} holds {reader.NumDocs} chunks, not {expectedCount}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Lucene reports damaged files in many ways (end of stream, missing file, corrupt index, bad offsets): all mean the same here.
            return $"{directory} cannot be read ({e.GetType().Name}: {OneLine(e.Message)})";
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The best <paramref name="k"/> chunks for <paramref name="query"/>, best first, with their BM25 scores.
    /// A query with no searchable word (empty, only punctuation or stop words) finds nothing.</summary>
    public IReadOnlyList<(string ChunkId, float Score)> Search(string query, int k)
    {
        if (k <= 0 || string.IsNullOrWhiteSpace(query))
            return [];
        var clauses = Clauses(query, forSearch: true);
        if (clauses.Count == 0)
            return [];
        var boolean = new BooleanQuery();
        foreach (var (term, weight) in clauses)
            boolean.Add(new TermQuery(term) { Boost = weight }, Occur.SHOULD);
        // Equal scores are ordered by chunk id rather than by Lucene's document order, which follows the order updates
        // wrote the notes' segments in: the same notes rank the same however they came to be indexed.
        var top = _searcher.Search(boolean, null, Math.Min(k, Math.Max(_reader.MaxDoc, 1)), ScoreThenId, doDocScores: true, doMaxScore: false);
        return top.ScoreDocs.Select(hit => (_ids[hit.Doc], hit.Score)).ToList();
    }

    /// <summary>
    /// The highest score any chunk could get for <paramref name="query"/>: every query term's idf × field weight × (k1 + 1),
    /// the limit of BM25 as a term's frequency grows. Terms missing from the notes count too (with their high idf), so
    /// a top score divided by this bound is low when the query's distinctive words are not in the notes.
    /// </summary>
    public float ScoreUpperBound(string query)
    {
        if (string.IsNullOrWhiteSpace(query))
            return 0f;
        var maxDoc = (double)_reader.MaxDoc;
        double bound = 0;
        foreach (var (term, weight) in Clauses(query, forSearch: false))
        {
            // Lucene 4.8 BM25Similarity.Idf, with maxDoc as the document count as Lucene does.
            double df = _reader.DocFreq(term);
            bound += Math.Log(1 + (maxDoc - df + 0.5) / (df + 0.5)) * weight * (Options.K1 + 1);
        }
        return (float)bound;
    }

    /// <summary>
    /// The share of <paramref name="question"/>'s words that <paramref name="texts"/> hold, each distinct word (stemmed,
    /// stop words aside) weighed by its rarity in the notes as BM25 weighs it: a rare word ("skip") counts for much more
    /// than a common one ("why", "used"). Words the notes never use ("big deal") are left out: no passage could hold
    /// them, so they tell nothing about which passages the question is about. 0 for a question without words the
    /// notes use.
    /// </summary>
    public double WordWeightFoundIn(string question, IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(texts);
        var maxDoc = (double)_reader.MaxDoc;
        var words = KeywordAnalysis.Terms(_stemmed, TextField, question).Distinct(StringComparer.Ordinal)
            .Select(w => (Word: w, Df: (double)_reader.DocFreq(new Term(TextField, w))))
            .Where(w => w.Df > 0)
            .ToDictionary(w => w.Word, w => Math.Log(1 + (maxDoc - w.Df + 0.5) / (w.Df + 0.5)), StringComparer.Ordinal);
        var total = words.Values.Sum();
        if (total <= 0) return 0;
        var found = texts.SelectMany(t => KeywordAnalysis.Terms(_stemmed, TextField, t)).ToHashSet(StringComparer.Ordinal);
        return words.Where(w => found.Contains(w.Key)).Sum(w => w.Value) / total;
    }

    /// <summary>
    /// The names in <paramref name="question"/> that the notes never mention, in order (a name as
    /// <see cref="KeywordAnalysis.Names"/> finds them, then the two-word ones of <see cref="KeywordAnalysis.TwoWordNames"/>).
    /// A name counts as mentioned when the notation-keeping field holds it in one of its <see cref="WholeForms"/>; a
    /// two-word name when one chunk holds both words.
    /// </summary>
    public IReadOnlyList<string> UnknownNames(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var unknown = new List<string>();
        foreach (var token in KeywordAnalysis.Names(question))
        {
            if (!WholeForms(token).Any(f => _reader.DocFreq(new Term(ExactField, f)) > 0))
                unknown.Add(token);
        }
        foreach (var (first, name) in KeywordAnalysis.TwoWordNames(question))
        {
            // Known when one chunk holds both words; a name whose parts the notes use apart is still one they never mention.
            if (unknown.Contains(name) || HoldsBoth(first, name)) continue;
            unknown.Add(first + " " + name);
        }
        return unknown;
    }

    private bool HoldsBoth(string first, string name)
    {
        var query = new BooleanQuery();
        foreach (var word in (string[])[first, name])
        {
            var either = new BooleanQuery();
            foreach (var form in WholeForms(word)) either.Add(new TermQuery(new Term(ExactField, form)), Occur.SHOULD);
            query.Add(either, Occur.MUST);
        }
        var count = new TotalHitCountCollector();
        _searcher.Search(query, count);
        return count.TotalHits > 0;
    }

    /// <summary>A token as the notation-keeping field may hold it whole: as written, without its inner punctuation
    /// ("t-SNE" as "tsne"), or with a plural 's' added or removed ("LLM" / "LLMs").</summary>
    private static string[] WholeForms(string token)
    {
        var lower = token.ToLowerInvariant();
        return [.. new[] { lower, string.Concat(lower.Where(char.IsLetterOrDigit)), lower + "s", lower.EndsWith('s') ? lower[..^1] : lower }.Distinct()];
    }

    /// <summary>
    /// One weighted term per distinct query term per field. For a search, terms absent from the index are left out
    /// (they cannot match) and a very long query keeps its <see cref="KeywordIndexOptions.MaxQueryTerms"/> rarest terms
    /// per field, which carry most of BM25's weight; the upper bound keeps every term.
    /// </summary>
    private List<(Term Term, float Weight)> Clauses(string query, bool forSearch)
    {
        var clauses = new List<(Term, float)>();
        AddField(clauses, _stemmed, TextField, Options.TextWeight, query, forSearch);
        AddField(clauses, _exact, ExactField, Options.ExactWeight, query, forSearch);
        AddField(clauses, _stemmed, HeadingField, Options.HeadingWeight, query, forSearch);
        AddField(clauses, _stemmed, LeadField, Options.LeadWeight, query, forSearch);
        return clauses;
    }

    private void AddField(List<(Term, float)> clauses, Analyzer analyzer, string field, float weight, string query, bool forSearch)
    {
        if (weight <= 0)
            return;
        var terms = KeywordAnalysis.Terms(analyzer, field, query).Distinct(StringComparer.Ordinal).Select(t => new Term(field, t));
        if (forSearch)
            terms = terms
                .Select(t => (Term: t, Df: _reader.DocFreq(t)))
                .Where(t => t.Df > 0)
                .OrderBy(t => t.Df)
                .Take(Options.MaxQueryTerms)
                .Select(t => t.Term);
        foreach (var term in terms)
            clauses.Add((term, weight));
    }

    /// <summary>
    /// The question of a flashcard-like chunk: its text before the flashcard's "???" line, as ingestion found it (a "???"
    /// in code or a quote is no separator), else a first non-empty line ending in '?'; empty for any other chunk.
    /// </summary>
    internal static string LeadOf(Chunk chunk)
    {
        var lines = chunk.Text.Split('\n');
        var separator = chunk.Structure?.Blocks.FirstOrDefault(b => b.Kind == BlockKind.FlashcardSeparator)?.FirstLine ?? -1;
        if (separator > 0)
            return string.Join('\n', lines.Take(separator)).Trim();
        var first = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return first.EndsWith('?') ? first : "";
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _stemmed.Dispose();
        _exact.Dispose();
    }
}
