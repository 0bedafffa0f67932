using System.Text;
using System.Text.RegularExpressions;
using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>
/// The built-in offline answerer: it answers with the notes' own sentences, never with words of its own, each
/// followed by a marker [n] whose citation points at the exact file lines quoted. Sentences are ranked against
/// the question by a sentence embedder when one is given (cosine similarity), otherwise by shared rare words.
/// </summary>
public sealed partial class ExtractiveAnswerer : IAnswerer
{
    /// <summary>Roughly how many characters of quotes make a short answer.</summary>
    public const int DefaultCharacterBudget = 600;

    /// <summary>At most this many pieces are quoted.</summary>
    public const int MaxSentences = 4;

    private const string HeadingSeparator = " › ";

    private readonly Func<IReadOnlyList<string>, float[][]>? _embed;
    private readonly int _budget;

    /// <param name="sentenceEmbedder">Maps texts to vectors (one per text, same order); null ranks by shared words.</param>
    /// <param name="characterBudget">Approximate length of the quoted part of an answer.</param>
    public ExtractiveAnswerer(Func<IReadOnlyList<string>, float[][]>? sentenceEmbedder = null, int characterBudget = DefaultCharacterBudget)
    {
        if (characterBudget < 100)
            throw new ArgumentOutOfRangeException(nameof(characterBudget), characterBudget, "the answer budget must be at least 100 characters");
        _embed = sentenceEmbedder;
        _budget = characterBudget;
    }

    /// <summary>The text of an answer when the notes do not cover <paramref name="question"/>.</summary>
    public static string NotCoveredText(string question) =>
        $"The notes do not cover this question (\"{question.Trim()}\"). "
        + "Try rephrasing it with the terms your notes use, or add notes on the topic and index them again.";

    public Task<Answer> AnswerAsync(RetrievedContext context, AnswerStyle style, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Answer(context, style));
    }

    /// <summary>The synchronous form of <see cref="AnswerAsync"/>: the work is all local.</summary>
    public Answer Answer(RetrievedContext context, AnswerStyle style)
    {
        ArgumentNullException.ThrowIfNull(context);
        var question = context.Question ?? "";
        if (context.NotCovered || context.Passages.Count == 0)
            return NotCovered(question);

        var pieces = SplitPassages(context);
        var candidates = pieces.Where(p => p.Sentence.IsQuotable).ToList();
        if (candidates.Count == 0)
            return NotCovered(question);

        var chosen = CompleteLeadIns(Choose(question, candidates), pieces)
            .OrderBy(c => c.Passage).ThenBy(c => c.Sentence.FirstLine).ToList();

        // One citation per quoted passage, numbered in order of first use, narrowed to the lines quoted.
        var numbers = new Dictionary<int, int>();
        var citations = new List<Citation>();
        foreach (var group in chosen.GroupBy(c => c.Passage))
        {
            var chunk = context.Passages[group.Key].Chunk;
            var n = citations.Count + 1;
            numbers[group.Key] = n;
            citations.Add(new Citation(n, chunk.File,
                chunk.StartLine + group.Min(c => c.Sentence.FirstLine),
                chunk.StartLine + group.Max(c => c.Sentence.LastLine),
                chunk.HeadingPath, chunk.Id));
        }

        var text = style == AnswerStyle.Interviewer
            ? InterviewerText(question, chosen, numbers, pieces)
            : TutorText(chosen, numbers);
        return new Answer(question, text, NotCovered: false, citations);
    }

    private static Answer NotCovered(string question) => new(question, NotCoveredText(question), NotCovered: true, []);

    private sealed record Candidate(int Passage, int Order, NoteSentence Sentence)
    {
        public double Score { get; set; }
    }

    private static List<Candidate> SplitPassages(RetrievedContext context)
    {
        var all = new List<Candidate>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var p = 0; p < context.Passages.Count; p++)
        {
            var chunk = context.Passages[p].Chunk;
            var order = 0;
            foreach (var s in NoteSentenceSplitter.Split(chunk.Text, LastHeading(chunk.HeadingPath)))
            {
                // Overlapping chunks repeat sentences: quote each once, from the better-ranked passage.
                if (s.IsQuotable && !seen.Add(Squash(s.Text))) continue;
                all.Add(new Candidate(p, order++, s));
            }
        }
        return all;
    }

    /// <summary>Scores the candidates and picks the best few that fit the budget.</summary>
    private List<Candidate> Choose(string question, List<Candidate> candidates)
    {
        var lexical = LexicalRelevance.Score(question, candidates.Select(c => (c.Sentence.Text, c.Sentence.Context)).ToList());
        var maxLexical = lexical.Max();

        double strong, weak;
        if (_embed != null)
        {
            var cosines = Cosines(question, candidates);
            for (var i = 0; i < candidates.Count; i++)
                // Shared rare words settle near ties between paraphrases; a slight lean to better-ranked passages.
                candidates[i].Score = cosines[i] + 0.1 * (maxLexical > 0 ? lexical[i] / maxLexical : 0) - 0.01 * candidates[i].Passage;
            var best = candidates.Max(c => c.Score);
            (strong, weak) = (best - 0.08, best - 0.15);
        }
        else if (maxLexical > 0)
        {
            for (var i = 0; i < candidates.Count; i++)
                candidates[i].Score = lexical[i] / maxLexical - 0.03 * candidates[i].Passage;
            var best = candidates.Max(c => c.Score);
            (strong, weak) = (best * 0.5, Math.Max(best * 0.3, 1e-9));
        }
        else
        {
            // No word in common: retrieval still judged the first passage relevant, so quote its opening.
            for (var i = 0; i < candidates.Count; i++)
                candidates[i].Score = -candidates[i].Passage * 1000.0 - candidates[i].Order;
            var first = candidates.Where(c => c.Passage == candidates[0].Passage).ToList();
            return TakeWithinBudget(first, double.MinValue, double.MinValue, maxCount: 2);
        }
        return TakeWithinBudget(candidates.OrderByDescending(c => c.Score).ToList(), strong, weak, MaxSentences);
    }

    private List<Candidate> TakeWithinBudget(List<Candidate> ranked, double strong, double weak, int maxCount)
    {
        var chosen = new List<Candidate>();
        // A very long piece is taken only when nothing of reasonable length is there.
        var head = ranked.FirstOrDefault(c => c.Sentence.Text.Length <= 2 * _budget) ?? ranked[0];
        chosen.Add(head);
        var used = head.Sentence.Text.Length;
        foreach (var c in ranked)
        {
            if (chosen.Count >= maxCount) break;
            if (ReferenceEquals(c, head)) continue;
            var threshold = chosen.Count == 1 ? weak : strong;
            if (c.Score < threshold) break;
            if (used + c.Sentence.Text.Length > _budget) continue;
            chosen.Add(c);
            used += c.Sentence.Text.Length;
        }
        return chosen;
    }

    /// <summary>
    /// A chosen piece that ends with ':' ("Cell state update:", "Key steps:") announces what follows, usually a
    /// formula or a list; quoting it alone says nothing, so the piece after it in the passage comes along.
    /// </summary>
    private List<Candidate> CompleteLeadIns(List<Candidate> chosen, List<Candidate> pieces)
    {
        var result = new List<Candidate>(chosen);
        var used = chosen.Sum(c => c.Sentence.Text.Length);
        foreach (var c in chosen.Where(c => c.Sentence.Text.EndsWith(':')))
        {
            var next = pieces.FirstOrDefault(p => p.Passage == c.Passage && p.Order == c.Order + 1);
            if (next is null || result.Contains(next) || next.Sentence.Kind is SentenceKind.Heading or SentenceKind.Question) continue;
            if (used + next.Sentence.Text.Length > 2 * _budget) continue;
            result.Add(next);
            used += next.Sentence.Text.Length;
        }
        return result;
    }

    private double[] Cosines(string question, List<Candidate> candidates)
    {
        var inputs = new List<string>(candidates.Count + 1) { question };
        // The heading or flashcard question says what a bare sentence is about ("It has high bias." under "Underfitting").
        inputs.AddRange(candidates.Select(c => c.Sentence.Context is { } ctx ? $"{ctx}: {c.Sentence.Text}" : c.Sentence.Text));
        var vectors = _embed!(inputs);
        if (vectors == null || vectors.Length != inputs.Count)
            throw new InvalidOperationException(
                $"the sentence embedder returned {vectors?.Length ?? 0} vectors for {inputs.Count} texts: it must return one vector per text");
        var q = vectors[0];
        return vectors.Skip(1).Select(v => Cosine(q, v)).ToArray();
    }

    private static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length)
            throw new InvalidOperationException($"the sentence embedder returned vectors of different sizes ({a.Length} and {b.Length})");
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static string TutorText(List<Candidate> chosen, Dictionary<int, int> numbers)
    {
        var sb = new StringBuilder();
        Candidate? previous = null;
        foreach (var c in chosen)
        {
            var s = c.Sentence;
            // Consecutive sentences of one paragraph read as a paragraph; list items and rows stay one per line.
            var sameParagraph = previous != null && previous.Passage == c.Passage
                && s.Kind == SentenceKind.Prose && previous.Sentence.Kind == SentenceKind.Prose
                && s.FirstLine <= previous.Sentence.LastLine + 1;
            if (previous != null) sb.Append(sameParagraph ? " " : "\n");
            if (s.Kind is SentenceKind.ListItem or SentenceKind.TableRow) sb.Append("- ");
            sb.Append(s.Text).Append(" [").Append(numbers[c.Passage]).Append(']');
            previous = c;
        }
        return sb.ToString();
    }

    private static string InterviewerText(string question, List<Candidate> chosen, Dictionary<int, int> numbers, List<Candidate> pieces)
    {
        var asked = question.Trim().TrimEnd('?', '.', '!', ' ');
        var sb = new StringBuilder();
        sb.Append("An interviewer would ask: ").Append(asked).Append("?\n");
        sb.Append("A strong answer covers:");
        foreach (var c in chosen)
            sb.Append("\n- ").Append(c.Sentence.Text).Append(" [").Append(numbers[c.Passage]).Append(']');
        sb.Append("\nFollow-up question: ").Append(FollowUp(question, chosen, pieces));
        return sb.ToString();
    }

    /// <summary>
    /// A question the interviewer could ask next, taken from the passages: a flashcard question first, else a
    /// heading turned into a question; cited passages before the others; never one that restates the question.
    /// </summary>
    private static string FollowUp(string question, List<Candidate> chosen, List<Candidate> pieces)
    {
        var cited = chosen.Select(c => c.Passage).ToHashSet();
        var ranked = pieces
            .Where(p => p.Sentence.Kind is SentenceKind.Question or SentenceKind.Heading)
            .OrderBy(p => cited.Contains(p.Passage) ? 0 : 1)
            .ThenBy(p => p.Sentence.Kind == SentenceKind.Question ? 0 : 1)
            .ThenBy(p => p.Passage).ThenBy(p => p.Order);
        foreach (var p in ranked)
        {
            var text = NumberPrefix().Replace(p.Sentence.Text, "").Trim().TrimEnd(':', '.').Trim();
            if (text.Length < 4 || text.Contains("contents", StringComparison.OrdinalIgnoreCase)) continue;
            if (LexicalRelevance.Terms(text).Count == 0) continue;
            if (Math.Max(LexicalRelevance.Overlap(text, question), LexicalRelevance.Overlap(question, text)) >= 0.5) continue;
            return p.Sentence.Kind == SentenceKind.Question ? text : $"How would you explain {text}?";
        }
        return "Can you give a concrete example of this from a project you worked on?";
    }

    private static string? LastHeading(string headingPath)
    {
        if (string.IsNullOrWhiteSpace(headingPath)) return null;
        var parts = headingPath.Split(HeadingSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? null : parts[^1];
    }

    private static string Squash(string s) => Spaces().Replace(s, "");

    [GeneratedRegex(@"^\d+(?:\.\d+)*\.?\s+")]
    private static partial Regex NumberPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
