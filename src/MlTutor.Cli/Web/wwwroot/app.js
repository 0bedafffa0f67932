// The study page: ask with streamed answers, citations that open their lines, the notes with line anchors.
"use strict";

(function () {
  const token = document.querySelector('meta[name="mltutor-token"]').content;
  const $ = id => document.getElementById(id);
  const conversation = $("conversation"), questionBox = $("question"), panel = $("panel");
  let history = [];        // this conversation's questions, oldest first
  let asking = false;
  let panelOpener = null;  // the marker that opened the panel, focused again when it closes

  // --- asking ------------------------------------------------------------------------------------------------
  async function ask(question) {
    if (asking || !question.trim()) return;
    asking = true;
    $("ask-button").disabled = true;
    const turn = newTurn(question);
    const body = { question, history, mode: $("mode").value };
    const k = parseInt($("k").value, 10);
    if (k) body.k = k;
    let text = "", answer = null, pending = false;
    const show = () => { pending = false; if (!answer) renderAnswer(turn, text, null); };
    try {
      const response = await fetch("api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-MlTutor-Token": token },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error((await errorOf(response)));
      for await (const event of serverSentEvents(response)) {
        if (event.name === "token") {
          text += event.data.text;
          turn.dataset.state = "streaming";
          if (!pending) { pending = true; requestAnimationFrame(show); }
        } else if (event.name === "answer") {
          answer = event.data;
          renderAnswer(turn, answer.answer, answer);
        } else if (event.name === "warning") {
          addNotice(turn, event.data.warning, "warning");
        } else if (event.name === "error") {
          throw new Error(event.data.error);
        }
      }
      if (!answer) throw new Error("the answer ended before it was complete");
      history.push(question);
      turn.dataset.state = "done";
    } catch (e) {
      addNotice(turn, String(e.message || e), "error");
      turn.dataset.state = "failed";
    } finally {
      asking = false;
      $("ask-button").disabled = false;
    }
  }

  async function errorOf(response) {
    try { return (await response.json()).error; } catch (_) { return `the server answered ${response.status}`; }
  }

  // Server-sent events from a POST's body (EventSource only GETs): {name, data} with data parsed as JSON.
  async function* serverSentEvents(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message", data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        yield { name, data: JSON.parse(data) };
      }
    }
  }

  function newTurn(question) {
    const turn = document.createElement("article");
    turn.className = "turn";
    turn.dataset.state = "waiting";
    const q = document.createElement("h2");
    q.className = "question";
    q.textContent = question;
    const a = document.createElement("div");
    a.className = "answer";
    a.textContent = "…";
    turn.append(q, a);
    conversation.append(turn);
    return turn;
  }

  function renderAnswer(turn, text, answer) {
    const a = turn.querySelector(".answer");
    a.innerHTML = window.MlTutorMath.render(text);
    if (!answer) return;
    turn.answer = answer;
    const cited = new Set(answer.citations.map(c => String(c.n)));
    // A marker with no source behind it is only text.
    for (const link of a.querySelectorAll("a.cite")) if (!cited.has(link.dataset.n)) link.replaceWith(link.textContent);
    if (answer.notCovered) addNotice(turn, "Your notes do not seem to cover this question.", "warning");
    if (answer.citations.length === 0) return;
    const sources = document.createElement("ol");
    sources.className = "sources";
    sources.setAttribute("aria-label", "Sources");
    for (const c of answer.citations) {
      const li = document.createElement("li");
      li.value = c.n;
      const link = document.createElement("a");
      link.className = "cite";
      link.dataset.n = c.n;
      link.href = `#cite-${c.n}`;
      link.textContent = `${c.file}:${c.startLine}-${c.endLine}`;
      const heading = document.createElement("span");
      heading.className = "heading";
      heading.textContent = c.headingPath ? ` — ${c.headingPath}` : "";
      li.append(link, heading);
      sources.append(li);
    }
    turn.append(sources);
  }

  function addNotice(turn, message, kind) {
    const p = document.createElement("p");
    p.className = `notice ${kind}`;
    p.setAttribute("role", kind === "error" ? "alert" : "status");
    p.textContent = message;
    turn.append(p);
  }

  // --- the cited lines ----------------------------------------------------------------------------------------
  async function openCitation(link) {
    const turn = link.closest(".turn");
    const citation = turn?.answer?.citations.find(c => String(c.n) === link.dataset.n);
    if (!citation) return;
    panelOpener = link;
    const ref = `${citation.file}:${citation.startLine}-${citation.endLine}`;
    $("panel-title").textContent = ref;
    $("panel-heading").textContent = citation.headingPath || "";
    const list = $("panel-lines");
    list.replaceChildren();
    panel.hidden = false;
    panel.focus();
    const response = await fetch(`api/cite?ref=${encodeURIComponent(ref)}&context=6`);
    if (!response.ok) {
      list.replaceChildren(lineItem(0, await errorOf(response), false));
      return;
    }
    const cited = await response.json();
    const lines = [
      ...cited.context.before.map(l => lineItem(l.line, l.text, false)),
      ...cited.lines.map((text, i) => lineItem(cited.startLine + i, text, true)),
      ...cited.context.after.map(l => lineItem(l.line, l.text, false)),
    ];
    list.replaceChildren(...lines);
    $("panel-open").href = `?note=${encodeURIComponent(cited.file)}#L${cited.startLine}-L${cited.endLine}`;
    list.querySelector(".hl")?.scrollIntoView({ block: "center" });
  }

  // A line of a note: its number and its text, as text (a note is data, never markup).
  function lineItem(number, text, highlighted) {
    const li = document.createElement("li");
    if (number > 0) { li.value = number; li.id = `L${number}`; }
    if (highlighted) li.className = "hl";
    const code = document.createElement("span");
    code.className = "line-text";
    code.textContent = text;
    li.append(code);
    return li;
  }

  function closePanel() {
    if (panel.hidden) return;
    panel.hidden = true;
    panelOpener?.focus();
  }

  // --- the notes ----------------------------------------------------------------------------------------------
  async function showNotes() {
    $("ask-view").hidden = true;
    $("notes-view").hidden = false;
    const response = await fetch("api/notes");
    const list = $("notes-list");
    if (!response.ok) { list.textContent = await errorOf(response); return; }
    for (const note of (await response.json()).notes) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = `?note=${encodeURIComponent(note.file)}`;
      link.textContent = note.file;
      li.append(link, ` (${note.state})`);
      list.append(li);
    }
  }

  async function showNote(file) {
    $("ask-view").hidden = true;
    $("notes-view").hidden = false;
    $("notes-title").textContent = file;
    const view = $("note");
    view.hidden = false;
    const response = await fetch(`api/notes/${file.split("/").map(encodeURIComponent).join("/")}`);
    if (!response.ok) { view.textContent = await errorOf(response); return; }
    const note = await response.json();
    const range = /^#L(\d+)(?:-L(\d+))?$/.exec(location.hash);
    const from = range ? +range[1] : 0, to = range ? +(range[2] || range[1]) : 0;
    const list = document.createElement("ol");
    list.className = "lines note-lines";
    note.lines.forEach((text, i) => {
      const li = lineItem(i + 1, "", i + 1 >= from && i + 1 <= to);
      // Inline formulas typeset line by line; the text itself is escaped and sanitised like an answer.
      li.querySelector(".line-text").innerHTML = window.MlTutorMath.renderInline(text);
      list.append(li);
    });
    view.replaceChildren(list);
    if (from) document.getElementById(`L${from}`)?.scrollIntoView({ block: "center" });
  }

  // --- wiring -------------------------------------------------------------------------------------------------
  $("ask-form").addEventListener("submit", e => {
    e.preventDefault();
    const question = questionBox.value;
    questionBox.value = "";
    ask(question);
  });
  questionBox.addEventListener("keydown", e => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  $("new-conversation").addEventListener("click", () => {
    history = [];
    conversation.replaceChildren();
    closePanel();
    questionBox.focus();
  });
  conversation.addEventListener("click", e => {
    const link = e.target.closest("a.cite");
    if (!link) return;
    e.preventDefault();
    openCitation(link);
  });
  $("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", e => { if (e.key === "Escape") closePanel(); });

  const params = new URLSearchParams(location.search);
  if (params.has("note")) showNote(params.get("note"));
  else if (params.has("notes")) showNotes();
  else {
    if (params.get("mode") === "interviewer") $("mode").value = "interviewer";
    if (params.get("q")) ask(params.get("q"));
    questionBox.focus();
  }
})();
