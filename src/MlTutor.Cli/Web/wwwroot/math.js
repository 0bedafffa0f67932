// Formulas and citation markers for markdown-it, typeset with KaTeX.
// Formulas are written as the notes write them ($…$, $$…$$) and as language models write them (\(…\), \[…\]).
// A dollar sign is a formula's only when it reads as one (Pandoc's rule: no space inside the dollars, no digit right
// after the closing one; and the next dollar closes or nothing does), so "$5 and $10" stays text; an unclosed formula (still streaming) stays text until it closes;
// one KaTeX cannot parse shows as its source.
"use strict";

window.MlTutorMath = (function () {
  const DELIMITERS = [
    { open: "$$", close: "$$", display: true },
    { open: "\\[", close: "\\]", display: true },
    { open: "\\(", close: "\\)", display: false },
    { open: "$", close: "$", display: false },
  ];

  // Some notes lost their LaTeX backslashes to string escapes when they were made: "\frac" became a form feed and
  // "rac", "\theta" a tab and "heta". Where a formula fails as written, the form with the escapes undone is tried.
  const LOST_ESCAPES = [
    [/\x07/g, "\\a"], [/\x08/g, "\\b"], [/\x0b/g, "\\v"], [/\x0c/g, "\\f"],
    [/\t(?=[a-zA-Z])/g, "\\t"],
    [/\n(?=(?:ight|ho|angle|brace|bracket|m\b|mathbf|ceil|floor))/g, "\\r"],
    [/\n(?=(?:abla|eq|u\b|ot|ewline|orm|e\b|exists|i\b))/g, "\\n"],
    // Where the escaped character was dropped altogether, the command's rest stands alone: "egin{", "rac{", "heta".
    [/(^|[^\\a-zA-Z])(egin|rac|ext|ilde|imes|heta|abla|ight|dots)(?![a-zA-Z])/g,
      (_, before, rest) => `${before}\\${{ egin: "begin", rac: "frac", ext: "text", ilde: "tilde", imes: "times", heta: "theta", abla: "nabla", ight: "right", dots: "vdots" }[rest]}`],
  ];

  // "$\theta$" that lost its backslash starts with a tab: still a formula's dollar.
  const LOST_ESCAPE_BEFORE_LETTER = /^[\x07\x08\x0b\x0c\t][a-zA-Z]/;

  function repaired(tex) {
    let fixed = tex;
    for (const [pattern, replacement] of LOST_ESCAPES) fixed = fixed.replace(pattern, replacement);
    return fixed === tex ? null : fixed;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function typeset(tex, display, markup) {
    const options = { displayMode: display, throwOnError: true, strict: "ignore", trust: false, maxExpand: 1000 };
    try {
      return window.katex.renderToString(tex, options);
    } catch (e) {
      const fixed = repaired(tex);
      if (fixed) {
        try {
          const html = window.katex.renderToString(fixed, options);
          return `<span class="math-repaired" title="Repaired: the note's formula lost its backslashes">${html}</span>`;
        } catch (_) { /* shown as its source below */ }
      }
      const close = DELIMITERS.find(d => d.open === markup)?.close ?? "";
      return `<code class="math-source" title="${escapeHtml(String(e.message || e))}">${escapeHtml(markup + tex + close)}</code>`;
    }
  }

  // The closing delimiter of a formula opened at `start`, or -1.
  function findClose(src, start, d) {
    for (let i = src.indexOf(d.close, start); i >= 0; i = src.indexOf(d.close, i + 1)) {
      if (src[i - 1] === "\\" && d.open.startsWith("$")) continue; // \$ is a dollar sign
      // A single dollar closes at the next one or not at all: "$5 or $10" holds no formula.
      if (d.open === "$" && (/\s/.test(src[i - 1]) || /\d/.test(src[i + 1] || "") || src.slice(start, i).includes("\n\n"))) return -1;
      return i;
    }
    return -1;
  }

  function mathInline(state, silent) {
    const src = state.src, pos = state.pos;
    const d = DELIMITERS.find(x => src.startsWith(x.open, pos));
    if (!d) return false;
    const start = pos + d.open.length;
    if (d.open === "$" && (start >= src.length || (/\s/.test(src[start]) && !LOST_ESCAPE_BEFORE_LETTER.test(src.slice(start, start + 2))))) return false;
    const end = findClose(src, start, d);
    if (end < 0 || !src.slice(start, end).trim()) {
      if (d.open !== "$$") return false;
      // An unclosed $$ (a formula still streaming) is text, both dollars: never half of it read as $…$.
      if (!silent) state.pending += "$$";
      state.pos += 2;
      return true;
    }
    if (!silent) {
      const token = state.push("math", "", 0);
      token.content = src.slice(start, end);
      token.markup = d.open;
      token.meta = { display: d.display };
    }
    state.pos = end + d.close.length;
    return true;
  }

  // $$ or \[ opening a line: the formula runs to the line holding its closing delimiter (blank lines and all).
  function mathBlock(state, startLine, endLine, silent) {
    const lineText = n => state.src.slice(state.bMarks[n] + state.tShift[n], state.eMarks[n]);
    const first = lineText(startLine);
    const d = DELIMITERS.find(x => x.display && first.startsWith(x.open));
    if (!d || state.sCount[startLine] - state.blkIndent >= 4) return false;
    const parts = [];
    let rest = first.slice(d.open.length), line = startLine;
    for (;;) {
      const at = rest.indexOf(d.close);
      if (at >= 0) {
        if (rest.slice(at + d.close.length).trim()) return false;
        parts.push(rest.slice(0, at));
        break;
      }
      parts.push(rest);
      if (++line >= endLine) return false; // not closed yet: text until it is
      rest = lineText(line);
    }
    if (silent) return true;
    const token = state.push("math_block", "", 0);
    token.block = true;
    token.content = parts.join("\n");
    token.markup = d.open;
    token.map = [startLine, line + 1];
    state.line = line + 1;
    return true;
  }

  // [1], [2]: the answer's citation markers, links that open the cited lines.
  function citeMarker(state, silent) {
    const m = /^\[(\d{1,3})\](?!\()/.exec(state.src.slice(state.pos, state.pos + 6));
    if (!m) return false;
    if (!silent) {
      const token = state.push("cite", "", 0);
      token.content = m[1];
    }
    state.pos += m[0].length;
    return true;
  }

  function plugin(md) {
    md.block.ruler.before("fence", "math_block", mathBlock, { alt: ["paragraph", "reference", "blockquote", "list"] });
    md.inline.ruler.before("escape", "math", mathInline);
    md.inline.ruler.before("link", "cite", citeMarker);
    md.renderer.rules.math = (tokens, i) => typeset(tokens[i].content, tokens[i].meta.display, tokens[i].markup);
    md.renderer.rules.math_block = (tokens, i) => `<div class="math-display">${typeset(tokens[i].content, true, tokens[i].markup)}</div>\n`;
    md.renderer.rules.cite = (tokens, i) => {
      const n = tokens[i].content;
      return `<a class="cite" data-n="${n}" href="#cite-${n}" aria-label="Source ${n}">[${n}]</a>`;
    };
  }

  // Notes and answers are data: markdown-it escapes any HTML in them (html: false) and DOMPurify cleans what it made.
  const md = window.markdownit({ html: false, linkify: false, typographer: false }).use(plugin);
  const purify = html => window.DOMPurify.sanitize(html, { ADD_ATTR: ["data-n"], FORBID_TAGS: ["style", "form", "input"] });

  return {
    render: text => purify(md.render(text)),
    renderInline: text => purify(md.renderInline(text)),
  };
})();
