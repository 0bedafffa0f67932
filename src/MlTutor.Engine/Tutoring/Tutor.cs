using System.Security.Cryptography;
using System.Text;
using MlTutor.Embedding;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tutoring;

/// <summary>
/// The tutor: the one surface every host uses. It is built from bound, checked <see cref="TutorSettings"/>, composes the
/// stages (reader, chunker, encoder, index, retrievers, answerers), creates each expensive part once, when first needed,
/// and is safe to share between threads: questions read a generation of the index through a lease while an update
/// publishes the next one. This file holds the composition and the index; the questions, the notes and the measurements
/// each have a file of their own.
/// </summary>
public sealed partial class Tutor : IDisposable
{
    private readonly Lazy<MiniLmEncoder> _encoder;
    private readonly Lazy<MiniLmEncoder> _queryEncoder;
    private readonly LiveIndex _live;
    private readonly QuestionRetrieval _retrieval;
    private readonly Answerers _answerers;
    private readonly Action<string> _warn;
    // Updates of one process take turns. The index folder's lock keeps other processes out, but two updates of ours at
    // once (the watch's and the study page's re-index) would meet it as if one were another process's.
    private readonly SemaphoreSlim _updating = new(1, 1);
    private readonly object _lifetime = new();
    private bool _disposed;

    /// <param name="home">The folder relative paths in the settings start from.</param>
    /// <param name="warn">Where the tutor says what the user should know but that stops nothing (an index repaired on
    /// the way to an answer); the host decides how to show it.</param>
    public Tutor(TutorSettings settings, string home, Action<string>? warn = null)
        : this(settings, home, warn, TimeProvider.System)
    {
    }

    /// <param name="clock">The time reviews are recorded and scheduled at (a test moves it to find an item due later).</param>
    public Tutor(TutorSettings settings, string home, Action<string>? warn, TimeProvider clock)
    {
        Settings = settings;
        Clock = clock;
        _warn = warn ?? (_ => { });
        CorpusDirectory = Path.GetFullPath(settings.Corpus.Directory, home);
        ModelDirectory = Path.GetFullPath(settings.Model.Directory, home);
        IndexDirectory = string.IsNullOrWhiteSpace(settings.Index.Directory)
            ? DefaultIndexDirectory(CorpusDirectory)
            : Path.GetFullPath(settings.Index.Directory, home);
        Variant = TutorNames.TryVariant(settings.Model.Variant, out var variant) ? variant
            : throw new TutorException($"unknown model variant '{settings.Model.Variant}': use {TutorNames.Variants}", Remedy.FixSetting) { Setting = "Model:Variant" };
        var packWeights = settings.Model.PackWeights ?? false;
        _encoder = new(() => MiniLmEncoder.FromModelDirectory(ModelDirectory, Variant, settings.Model.Threads, packWeights));
        _queryEncoder = new(() => settings.Model.QueryThreads == settings.Model.Threads
            ? Encoder
            : MiniLmEncoder.FromModelDirectory(ModelDirectory, Variant, settings.Model.QueryThreads, packWeights));
        _live = new LiveIndex(OpenOrRepairIndex, () => new IndexFolder(IndexDirectory).PublishedName);
        _retrieval = new QuestionRetrieval(settings.Retrieval);
        _answerers = new Answerers(settings.Answering, home, () => Encoder);
        ReviewDirectory = string.IsNullOrWhiteSpace(settings.Review.Directory)
            ? DefaultReviewDirectory(CorpusDirectory)
            : Path.GetFullPath(settings.Review.Directory, home);
        _scheduler = new(() => new Fsrs(SettingsRules.Scheduling(settings.Review)));
    }

    public TutorSettings Settings { get; }
    public string CorpusDirectory { get; }
    public string IndexDirectory { get; }
    public string ModelDirectory { get; }
    public ModelVariant Variant { get; }

    /// <summary>The encoder's own tokenizer: the chunker budgets with exactly what the model is fed.</summary>
    public MiniLmTokenizer Tokenizer => Encoder.Tokenizer;
    public MiniLmEncoder Encoder => _encoder.Value;

    /// <summary>The encoder that embeds questions when no offline answer is wanted (Model:QueryThreads): one short text
    /// gains nothing from splitting it across threads, and on a busy machine waiting for a second thread costs more than
    /// the work itself.</summary>
    public MiniLmEncoder QueryEncoder => _queryEncoder.Value;

    /// <summary>How many ONNX Runtime sessions of the model this tutor holds (each about 100 MB).</summary>
    public int EncoderSessions =>
        (_encoder.IsValueCreated ? 1 : 0) + (_queryEncoder.IsValueCreated && !ReferenceEquals(_queryEncoder.Value, _encoder.Value) ? 1 : 0);

    public CorpusReader Reader => new(Settings.Corpus.MaxFileBytes);

    /// <summary>The chunker, with the tokenizer opened only once a note is chunked: most updates find nothing to chunk.</summary>
    public Chunker Chunker => new(text => Tokenizer.CountPieces(text), ChunkingOptions);

    public ChunkerOptions ChunkingOptions { get; } = new();

    /// <summary>The settings a generation is built with; a generation built otherwise is not reused.</summary>
    public IndexManifest IndexSettings => new(IndexManifest.CurrentSchema, MiniLmEncoder.ModelId, TutorNames.Name(Variant),
        MiniLmEncoder.HiddenSize, $"v{Chunker.Version} {ChunkingOptions}", CorpusDirectory, 0, 0, default);

    /// <summary>
    /// Builds the index of the notes or brings it up to date, checking every file of the kept generation against its
    /// checksums (damage is repaired from the stored vectors). Questions in flight finish on the generation they began
    /// with; the next ones read the new one.
    /// </summary>
    public IndexBuildReport UpdateIndex(bool rebuild = false, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Update(rebuild, progress, cancellationToken, verifyContents: true);

    /// <summary>
    /// The update that runs before questions: quick when nothing changed, and a corpus folder with no readable notes, an
    /// index folder that cannot be written (read-only, or a full disk) or one that another process is updating leaves
    /// the kept index in use, with a warning when it may no longer match the notes, instead of stopping the questions;
    /// while this process updates the index, it returns at once.
    /// </summary>
    public IndexUpdateOutcome UpdateBeforeQuestions(IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        // An update this process has under way (the watch's, the study page's re-index) brings the notes in: a question
        // does not wait for it, and is answered from the last complete index meanwhile.
        if (_updating.CurrentCount == 0) return new IndexUpdateOutcome(null, null);
        return UpdateKeepingTheIndex(progress, cancellationToken);
    }

    /// <summary>The update of a watch (<see cref="NotesWatch"/>): as <see cref="UpdateBeforeQuestions"/>, but after an
    /// update of this process under way, since the notes may have changed again after it read them.</summary>
    internal IndexUpdateOutcome UpdateForWatch(CancellationToken cancellationToken) => UpdateKeepingTheIndex(null, cancellationToken);

    private IndexUpdateOutcome UpdateKeepingTheIndex(IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return new IndexUpdateOutcome(Update(rebuild: false, progress, cancellationToken, verifyContents: false), null);
        }
        catch (EmptyCorpusException e)
        {
            return new IndexUpdateOutcome(null, $"{e.Message}; answering from the kept index");
        }
        catch (IndexBusyException e) when (e.KeptIndex)
        {
            // The notes changed and another process is indexing them: the last complete index answers now.
            return new IndexUpdateOutcome(null, $"another mltutor process is updating the index in {IndexDirectory}: answering from the last complete index");
        }
        catch (IndexWriteException e) when (e.KeptIndex)
        {
            return new IndexUpdateOutcome(null, $"{e.Message}; answering from the kept index");
        }
        catch (IndexReadOnlyException e) when (e.Freshness is IndexFreshness.UpToDate or IndexFreshness.OutOfDate)
        {
            // A shared, read-only copy of an index answers as well as any: only updating it needs a folder that can be written.
            return new IndexUpdateOutcome(null, e.Freshness == IndexFreshness.OutOfDate
                ? $"the index in {e.Directory} is read-only and out of date ({e.Changes}): answering from it as it is; to update it, {e.Fix}"
                : null, e.Remedy);
        }
    }

    /// <summary>
    /// Starts loading the model that answers embed with, in the background: a host that will answer soon (a question on
    /// the command line, a chat, the study page) calls it first, and the model loads while the notes are checked and the
    /// index opened. A model that cannot be found is reported by the step that needs it, as without this head start.
    /// </summary>
    public void StartLoadingForAnswers() => StartLoading(() => Encoder);

    /// <summary>As <see cref="StartLoadingForAnswers"/>, for a host that only retrieves: the session questions are embedded
    /// with (see <see cref="QueryEncoder"/>).</summary>
    public void StartLoadingForSearches() => StartLoading(() => QueryEncoder);

    private void StartLoading(Func<MiniLmEncoder> encoder) => ThreadPool.UnsafeQueueUserWorkItem(static state =>
    {
        var (tutor, encoder) = state;
        MiniLmEncoder opened;
        try
        {
            // Opening the model folder (the tokenizer's vocabulary) is part of the head start too; under the lock, so that
            // a tutor disposed meanwhile never leaves behind an encoder it did not dispose.
            lock (tutor._lifetime)
            {
                if (tutor._disposed) return;
                opened = encoder();
            }
        }
        catch (Exception)
        {
            return; // the step that needs the encoder meets the same error and reports it
        }
        opened.Load();
    }, (this, encoder), preferLocal: false);

    /// <summary>
    /// Keeps the index up to date in the background while the notes change, until disposed (see <see cref="NotesWatch"/>):
    /// <paramref name="report"/> hears of each update that re-indexed notes, and of reasons it could not. Questions meanwhile
    /// are answered from the last complete index, never waiting for an update.
    /// </summary>
    public NotesWatch WatchNotes(Action<WatchReport> report)
    {
        RequireCorpus();
        // Editors save in bursts of events within a few milliseconds; a person saves again after seconds.
        return new NotesWatch(this, report, quiet: TimeSpan.FromMilliseconds(300), interval: TimeSpan.FromSeconds(Settings.Corpus.PollSeconds),
            Enum.Parse<WatchMode>(Settings.Corpus.Watch.Trim(), ignoreCase: true));
    }

    private IndexBuildReport Update(bool rebuild, IProgress<IndexProgress>? progress, CancellationToken cancellationToken, bool verifyContents)
    {
        RequireCorpus();
        _updating.Wait(cancellationToken);
        try
        {
            var builder = new IndexBuilder(NotesIndexFolder(), () => Encoder, IndexSettings);
            var report = builder.BuildFromCorpus(CorpusDirectory, Reader, Chunker, rebuild, progress, cancellationToken, verifyContents);
            if (!report.UpToDate)
            {
                _live.Retire();
                RetireReviewsOf(NotesIndexFolder());
            }
            return report;
        }
        finally
        {
            _updating.Release();
        }
    }

    /// <summary>How the notes' index compares with the notes, changing neither.</summary>
    public IndexStatus ReadIndexStatus()
    {
        RequireCorpus();
        return IndexStatus.Read(NotesIndexFolder(), IndexSettings, CorpusDirectory, Reader);
    }

    private void RequireCorpus()
    {
        if (!Directory.Exists(CorpusDirectory)) throw new CorpusNotFoundException(CorpusDirectory);
    }

    /// <summary>Opens the notes' index; one whose files were damaged since it was checked is repaired first, from its
    /// stored vectors, when the folder can be written.</summary>
    private NotesIndex OpenOrRepairIndex()
    {
        try
        {
            return OpenIndex();
        }
        catch (IndexDamagedException e)
        {
            var report = TryRepair();
            if (report is null) throw;
            _warn($"the index in {e.Directory} was damaged ({e.Damage}): repaired from its stored vectors ({report.Embedded} embedded)");
            return OpenIndex();
        }
    }

    private IndexBuildReport? TryRepair()
    {
        try
        {
            return Update(rebuild: false, progress: null, CancellationToken.None, verifyContents: true);
        }
        catch (Exception e) when (e is IndexReadOnlyException or IndexBusyException or EmptyCorpusException or IndexWriteException or CorpusNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Opens the notes' index with the configured keyword settings (BM25 parameters and field weights apply at search time).</summary>
    private NotesIndex OpenIndex() => NotesIndex.Open(NotesIndexFolder(), Settings.Retrieval.Keyword);

    /// <summary>The notes' own index folder, which must lie outside the notes, for building and for questions alike.</summary>
    private IndexFolder NotesIndexFolder()
    {
        var folder = IndexFolder.At(IndexDirectory);
        folder.RequireOutside(CorpusDirectory);
        return folder;
    }

    public void Dispose()
    {
        lock (_lifetime) _disposed = true;
        _answerers.Dispose();
        _live.Dispose();
        _updating.Dispose();
        if (_queryEncoder.IsValueCreated && !(_encoder.IsValueCreated && ReferenceEquals(_queryEncoder.Value, _encoder.Value))) _queryEncoder.Value.Dispose();
        if (_encoder.IsValueCreated) _encoder.Value.Dispose();
    }

    /// <summary>One index per corpus folder under the user's data directory, so that two corpora never share one.</summary>
    public static string DefaultIndexDirectory(string corpusDirectory) => PerCorpusFolder("indexes", corpusDirectory);

    /// <summary>
    /// One review folder per corpus folder under the user's data directory, named as its index folder is but under
    /// reviews/ rather than inside the index: an index is rebuilt at will (or its folder deleted to start afresh), a review
    /// history is the user's own record and must outlive it, and a shared read-only index still takes reviews.
    /// </summary>
    public static string DefaultReviewDirectory(string corpusDirectory) => PerCorpusFolder("reviews", corpusDirectory);

    private static string PerCorpusFolder(string kind, string corpusDirectory)
    {
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(data)) data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(data)) data = Path.Combine(Path.GetTempPath(), "mltutor-data");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(corpusDirectory)))[..12];
        var name = Path.GetFileName(corpusDirectory.TrimEnd('/'));
        return Path.Combine(data, "mltutor", kind, $"{name}-{hash}");
    }
}
