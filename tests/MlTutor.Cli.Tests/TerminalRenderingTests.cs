using MlTutor.Cli.Terminal;
using Spectre.Console;

namespace MlTutor.Cli.Tests;

public class TerminalRenderingTests
{
    [Theory]
    [InlineData(@"\sqrt{d_k}", "√dₖ")]
    [InlineData(@"w \leftarrow w - \eta \nabla L(w)", "w ← w - η ∇ L(w)")]
    [InlineData(@"softmax(\frac{QK^T}{\sqrt{d_k}})V", "softmax(QKᵀ/(√dₖ))V")]
    [InlineData(@"\lambda \sum_i \lvert w_i \rvert", "λ ∑ᵢ | wᵢ |")]
    [InlineData(@"\epsilon = 10^{-8}", "ε = 10⁻⁸")]
    [InlineData(@"\hat{y} = \sigma(z)", "y\u0302 = σ(z)")]
    [InlineData(@"\text{bias}^2 + \text{variance}", "bias² + variance")]
    [InlineData(@"x_{\min}", "xₘᵢₙ")]
    [InlineData(@"h_{\theta}(x)", "h_θ(x)")]
    [InlineData(@"e^{-\lambda t}", "e^(-λ t)")]
    public void Common_latex_reads_as_unicode(string latex, string shown) =>
        Assert.Equal(shown, TerminalMath.ToUnicode(latex));

    [Theory]
    [InlineData(@"\begin{bmatrix} a \end{bmatrix}")]
    [InlineData(@"\frac{1}{")]
    [InlineData(@"a } b")]
    public void A_formula_it_cannot_show_faithfully_is_left_as_written(string latex) =>
        Assert.Null(TerminalMath.ToUnicode(latex));

    [Fact]
    public void Streamed_words_are_wrapped_whole_with_a_list_items_indent_and_formulas_converted()
    {
        var (console, output) = PlainConsole();
        var writer = new TerminalAnswerWriter(console, width: 30);
        // Tokens cut mid-word and mid-formula, as a model streams them.
        foreach (var token in new[] { "Gradient desc", "ent steps each weight by $w \\leftarr", "ow w - \\eta g$ [1].\n- A list item th", "at runs past the edge of the terminal [2]\n", "It costs $5 and **bold** stays." })
            writer.Write(token);
        writer.Complete();

        Assert.Equal(
            """
            Gradient descent steps each
            weight by w ← w - η g [1].
            • A list item that runs past
              the edge of the terminal [2]
            It costs $5 and bold stays.

            """.ReplaceLineEndings("\n"), output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_word_longer_than_the_line_is_written_whole_on_a_line_of_its_own()
    {
        var (console, output) = PlainConsole();
        var writer = new TerminalAnswerWriter(console, width: 20);
        writer.Write("see https://example.org/a/very/long/path/indeed for more");
        writer.Complete();
        Assert.Equal("see\nhttps://example.org/a/very/long/path/indeed\nfor more\n", output.ToString().ReplaceLineEndings("\n"));
    }

    private static (IAnsiConsole, StringWriter) PlainConsole()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 500;
        return (console, output);
    }
}

public class TableWidthTests
{
    [Fact]
    public void Tables_take_the_width_given_by_COLUMNS()
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(corpus, "good.md"), "# Dropout\n\nDropout zeroes random activations during training.\n");
        var file = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllLines(file, ["{\"id\":\"q1\",\"question\":\"What does dropout zero?\",\"answerable\":true,\"evidence\":[{\"file\":\"good.md\",\"quote\":\"Dropout zeroes\"}]}"]);
        var index = CliRunner.NewTempDir();

        var wide = CliRunner.Run(["eval", "--questions", file, "--corpus", corpus, "--index", index], new Dictionary<string, string> { ["COLUMNS"] = "220" });
        Assert.True(wide.ExitCode == 0, wide.ToString());
        // At 220 columns the header is one line; at the default 80 its eight columns wrap their names.
        Assert.Contains(wide.Stdout.Split('\n'), l => l.Contains("retriever") && l.Contains("unanswerable marked") && l.Contains("misses"));
        var narrow = CliRunner.Run(["eval", "--questions", file, "--corpus", corpus, "--index", index], new Dictionary<string, string> { ["COLUMNS"] = "80" });
        Assert.DoesNotContain(narrow.Stdout.Split('\n'), l => l.Contains("retriever") && l.Contains("unanswerable marked"));
    }
}
