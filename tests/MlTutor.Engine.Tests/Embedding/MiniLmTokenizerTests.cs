using MlTutor.Embedding;
using Xunit;

namespace MlTutor.Tests.Embedding;

public class MiniLmTokenizerTests
{
    private static readonly Lazy<MiniLmTokenizer> SharedTokenizer = new(() => MiniLmTokenizer.FromModelDirectory(TestPaths.ModelDir));
    private static MiniLmTokenizer Tokenizer => SharedTokenizer.Value;

    [Theory]
    [MemberData(nameof(GoldenCases.Indices), MemberType = typeof(GoldenCases))]
    public void Ids_equal_the_reference_tokenizer(int index)
    {
        var golden = GoldenCases.All[index];

        Assert.Equal(golden.Ids, Tokenizer.Encode(golden.Text));
    }

    [Fact]
    public void The_golden_cases_cover_the_traps()
    {
        // The cases this tokenizer was made to pass: ASCII symbols, accents, CJK, Hangul, tabs, format characters,
        // literal special tokens, and inputs past the model's limit.
        var texts = GoldenCases.All.Select(c => c.Text).ToList();
        Assert.Contains(texts, t => t.Contains('+') && t.Contains('='));
        Assert.Contains(texts, t => t.Contains("café"));
        Assert.Contains(texts, t => t.Contains("한국어"));
        Assert.Contains(texts, t => t.Contains('\t'));
        Assert.Contains(texts, t => t.Contains('\u200b'));
        Assert.Contains(texts, t => t.Contains("[MASK]") && t.Contains("[mask]"));
        Assert.Contains(GoldenCases.All, c => c.Ids.Length == MiniLmTokenizer.MaxPieces);
    }

    [Fact]
    public void Every_ascii_character_is_normalized_as_the_reference_cleans_and_lowercases_it()
    {
        // The reference drops NUL and every control character but tab, newline and carriage return, which become spaces
        // like the space itself, and lowercases the rest.
        for (var c = '\0'; c < 128; c++)
        {
            var expected = c is '\t' or '\n' or '\r' or ' ' ? " " : char.IsControl(c) ? "" : char.ToLowerInvariant(c).ToString();
            Assert.Equal(Tokenizer.Encode("x" + expected + "y"), Tokenizer.Encode("x" + c + "y"));
        }
    }

    [Fact]
    public void Count_matches_the_encoding_below_the_limit()
    {
        foreach (var golden in GoldenCases.All.Where(c => c.Ids.Length < MiniLmTokenizer.MaxPieces))
            Assert.Equal(golden.Ids.Length, Tokenizer.CountPieces(golden.Text));
    }

    [Fact]
    public void A_long_input_is_truncated_to_256_ids_ending_with_sep_while_the_count_is_not()
    {
        var text = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"gradient{i}"));

        var ids = Tokenizer.Encode(text);

        Assert.Equal(MiniLmTokenizer.MaxPieces, ids.Length);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
        Assert.DoesNotContain(102, ids[..^1]);
        Assert.True(Tokenizer.CountPieces(text) > 800, "every word is at least two pieces");
    }

    [Fact]
    public void Literal_special_tokens_are_matched_case_sensitively()
    {
        Assert.Equal([101, 1996, 103, 102], Tokenizer.Encode("the [MASK]"));
        Assert.Equal([101, 1996, 1031, 7308, 1033, 102], Tokenizer.Encode("the [mask]"));
        Assert.Equal([101, 100, 102], Tokenizer.Encode("[UNK]"));
    }

    [Fact]
    public void Empty_and_blank_texts_are_just_cls_and_sep()
    {
        Assert.Equal([101, 102], Tokenizer.Encode(""));
        Assert.Equal([101, 102], Tokenizer.Encode(" \n\t "));
        Assert.Equal(2, Tokenizer.CountPieces(""));
    }

    [Fact]
    public void A_missing_vocabulary_names_the_file_and_the_fix()
    {
        var dir = TestPaths.NewTempDir();

        var e = Assert.Throws<ModelNotFoundException>(() => MiniLmTokenizer.FromModelDirectory(dir));

        Assert.Equal(Path.Combine(dir, "vocab.txt"), e.MissingPath);
        Assert.Contains("vocab.txt", e.Message);
        Assert.Equal(Remedy.InstallModel, e.Remedy);
    }
}
