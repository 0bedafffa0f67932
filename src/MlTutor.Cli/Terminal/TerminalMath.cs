using System.Text;

namespace MlTutor.Cli.Terminal;

/// <summary>
/// Inline LaTeX made readable in a terminal: Greek letters and operators as Unicode, <c>\frac{a}{b}</c> as a/b,
/// <c>\sqrt{x}</c> as √x, exponents and indices as superscripts and subscripts where Unicode has them. A formula with a
/// command it does not know is left exactly as written: a half-converted formula would read worse than the source.
/// </summary>
public static class TerminalMath
{
    /// <summary>The formula in Unicode, or null when it holds something this cannot show faithfully.</summary>
    public static string? ToUnicode(string latex)
    {
        var reader = new Reader(latex);
        try
        {
            var text = reader.ReadUntil(endGroup: false);
            return text.Trim();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static readonly Dictionary<string, string> Symbols = new()
    {
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["varepsilon"] = "ε", ["zeta"] = "ζ",
        ["eta"] = "η", ["theta"] = "θ", ["vartheta"] = "ϑ", ["iota"] = "ι", ["kappa"] = "κ", ["lambda"] = "λ", ["mu"] = "μ",
        ["nu"] = "ν", ["xi"] = "ξ", ["pi"] = "π", ["rho"] = "ρ", ["sigma"] = "σ", ["tau"] = "τ", ["upsilon"] = "υ", ["phi"] = "φ",
        ["varphi"] = "φ", ["chi"] = "χ", ["psi"] = "ψ", ["omega"] = "ω", ["Gamma"] = "Γ", ["Delta"] = "Δ", ["Theta"] = "Θ",
        ["Lambda"] = "Λ", ["Xi"] = "Ξ", ["Pi"] = "Π", ["Sigma"] = "Σ", ["Phi"] = "Φ", ["Psi"] = "Ψ", ["Omega"] = "Ω",
        ["cdot"] = "·", ["times"] = "×", ["div"] = "÷", ["pm"] = "±", ["mp"] = "∓", ["le"] = "≤", ["leq"] = "≤", ["ge"] = "≥",
        ["geq"] = "≥", ["ne"] = "≠", ["neq"] = "≠", ["approx"] = "≈", ["sim"] = "∼", ["propto"] = "∝", ["equiv"] = "≡",
        ["ll"] = "≪", ["gg"] = "≫", ["in"] = "∈", ["notin"] = "∉", ["subset"] = "⊂", ["subseteq"] = "⊆", ["cup"] = "∪",
        ["cap"] = "∩", ["infty"] = "∞", ["partial"] = "∂", ["nabla"] = "∇", ["sum"] = "∑", ["prod"] = "∏", ["int"] = "∫",
        ["rightarrow"] = "→", ["to"] = "→", ["leftarrow"] = "←", ["Rightarrow"] = "⇒", ["Leftarrow"] = "⇐",
        ["leftrightarrow"] = "↔", ["Leftrightarrow"] = "⇔", ["mapsto"] = "↦", ["odot"] = "⊙", ["oplus"] = "⊕", ["otimes"] = "⊗",
        ["circ"] = "∘", ["bullet"] = "•", ["ldots"] = "…", ["cdots"] = "⋯", ["dots"] = "…", ["forall"] = "∀", ["exists"] = "∃",
        ["neg"] = "¬", ["land"] = "∧", ["lor"] = "∨", ["mid"] = "|", ["vert"] = "|", ["lvert"] = "|", ["rvert"] = "|", ["lVert"] = "‖", ["rVert"] = "‖", ["|"] = "‖", ["Vert"] = "‖",
        ["log"] = "log", ["ln"] = "ln", ["exp"] = "exp", ["max"] = "max", ["min"] = "min", ["arg"] = "arg", ["sin"] = "sin",
        ["cos"] = "cos", ["tan"] = "tan", ["tanh"] = "tanh", ["det"] = "det", ["lim"] = "lim", ["argmax"] = "argmax",
        ["argmin"] = "argmin", ["top"] = "ᵀ", ["prime"] = "′", ["ell"] = "ℓ", ["{"] = "{", ["}"] = "}", ["%"] = "%", ["_"] = "_",
        ["&"] = "&", ["#"] = "#", ["$"] = "$", [","] = " ", [";"] = " ", [":"] = " ", ["!"] = "", [" "] = " ", ["quad"] = "  ",
        ["qquad"] = "   ", ["left"] = "", ["right"] = "", ["big"] = "", ["Big"] = "", ["bigg"] = "", ["Bigg"] = "",
        ["displaystyle"] = "", ["\\"] = " ",
    };

    /// <summary>Commands whose one argument is shown as it is.</summary>
    private static readonly HashSet<string> Plain =
        ["text", "textrm", "textbf", "textit", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "operatorname", "boldsymbol", "bm", "mathcal", "mathbb"];

    /// <summary>Accents: the argument followed by a combining mark.</summary>
    private static readonly Dictionary<string, char> Accents = new()
    {
        ["hat"] = '\u0302', ["widehat"] = '\u0302', ["bar"] = '\u0304', ["overline"] = '\u0305', ["tilde"] = '\u0303',
        ["widetilde"] = '\u0303', ["vec"] = '\u20D7', ["dot"] = '\u0307', ["ddot"] = '\u0308',
    };

    private const string SuperFrom = "0123456789+-=()nijkTtaxy";
    private const string SuperTo = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗᵃˣʸ";
    private const string SubFrom = "0123456789+-=()aeijklmnoprstuvx";
    private const string SubTo = "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ";

    private sealed class Reader(string text)
    {
        private int _at;

        /// <summary>Reads to the end, or to the closing brace of the group being read.</summary>
        public string ReadUntil(bool endGroup)
        {
            var sb = new StringBuilder();
            while (_at < text.Length)
            {
                var c = text[_at];
                if (c == '}')
                {
                    if (!endGroup) throw new FormatException("unbalanced }");
                    _at++;
                    return sb.ToString();
                }
                if (c is '^' or '_')
                {
                    _at++;
                    sb.Append(Script(ReadArgument(), c == '^'));
                    continue;
                }
                sb.Append(ReadAtom());
            }
            if (endGroup) throw new FormatException("unclosed {");
            return sb.ToString();
        }

        /// <summary>One thing: a group, a command with its arguments, or a character.</summary>
        private string ReadAtom()
        {
            var c = text[_at];
            if (c == '{')
            {
                _at++;
                return ReadUntil(endGroup: true);
            }
            if (c != '\\')
            {
                _at++;
                return c == '~' ? " " : c.ToString();
            }
            var name = ReadCommandName();
            if (name == "frac" || name == "dfrac" || name == "tfrac")
            {
                var over = ReadArgument();
                var under = ReadArgument();
                return $"{Grouped(over)}/{Grouped(under)}";
            }
            if (name == "sqrt") return "√" + Grouped(ReadArgument());
            if (Plain.Contains(name)) return ReadArgument();
            if (Accents.TryGetValue(name, out var mark))
            {
                var argument = ReadArgument();
                return argument.Length == 1 ? argument + mark : argument;
            }
            if (Symbols.TryGetValue(name, out var symbol)) return symbol;
            throw new FormatException($"unknown command \\{name}");
        }

        private string ReadCommandName()
        {
            _at++; // the backslash
            if (_at >= text.Length) throw new FormatException("a lone backslash");
            var start = _at;
            if (!char.IsAsciiLetter(text[_at])) return text[_at++].ToString();
            while (_at < text.Length && char.IsAsciiLetter(text[_at])) _at++;
            return text[start.._at];
        }

        private string ReadArgument()
        {
            while (_at < text.Length && text[_at] == ' ') _at++;
            if (_at >= text.Length) throw new FormatException("a missing argument");
            return ReadAtom();
        }
    }

    /// <summary>An operand in parentheses when it is more than one symbol, so that a/b+c is not misread.</summary>
    private static string Grouped(string s) =>
        s.Length <= 1 || s.All(char.IsLetterOrDigit) ? s : $"({s})";

    private static string Script(string s, bool super)
    {
        var (from, to) = super ? (SuperFrom, SuperTo) : (SubFrom, SubTo);
        if (s.Length > 0 && s.All(c => from.Contains(c)))
            return string.Concat(s.Select(c => to[from.IndexOf(c)]));
        if (super && s is "′" or "*") return s;
        return (super ? "^" : "_") + Grouped(s);
    }
}
