// The study page: ask with streamed answers, citations that open their lines, the notes with line anchors, the mock
// interview, and the index with its re-index.
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
    if (citation) openLines(citation, link);
  }

  // The lines {file, startLine, endLine, headingPath} in the side panel, highlighted among their neighbours.
  async function openLines(lines, opener) {
    panelOpener = opener;
    const ref = `${lines.file}:${lines.startLine}-${lines.endLine}`;
    $("panel-title").textContent = ref;
    $("panel-heading").textContent = lines.headingPath || "";
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
    const items = [
      ...cited.context.before.map(l => lineItem(l.line, l.text, false)),
      ...cited.lines.map((text, i) => lineItem(cited.startLine + i, text, true)),
      ...cited.context.after.map(l => lineItem(l.line, l.text, false)),
    ];
    list.replaceChildren(...items);
    $("panel-open").href = noteLink(cited.file, cited.startLine, cited.endLine);
    list.querySelector(".hl")?.scrollIntoView({ block: "center" });
  }

  const noteLink = (file, from, to) => `?note=${encodeURIComponent(file)}#L${from}-L${to}`;

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
  // Shows one view of the page (ask, notes, interview, index) and marks its link in the navigation.
  function showView(id) {
    for (const view of document.querySelectorAll("main > section")) view.hidden = view.id !== id;
    const current = { "notes-view": "nav-notes", "interview-view": "nav-interview", "index-view": "nav-index" }[id] || "nav-ask";
    for (const link of document.querySelectorAll("nav a")) {
      if (link.id === current) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
    }
  }

  async function showNotes() {
    showView("notes-view");
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
    showView("notes-view");
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

  // --- the mock interview -------------------------------------------------------------------------------------
  const interview = { questions: [], at: 0, shownAt: 0, grading: false };
  const interviewCard = $("interview-card"), answerBox = $("interview-answer");

  async function startInterview(topic) {
    showView("interview-view");
    $("interview-topic").value = topic || "";
    const query = new URLSearchParams({ n: "5" });
    if (topic) query.set("topic", topic);
    const response = await fetch(`api/interview?${query}`);
    if (!response.ok) { interviewMessage(await errorOf(response)); return; }
    const next = await response.json();
    showDue(next.due);
    interview.questions = next.questions;
    interview.at = 0;
    if (next.questions.length === 0) {
      interviewMessage(topic ? `Your notes hold no flashcards or Q/A pairs on '${topic}'.` : "Your notes hold no flashcards or Q/A pairs to ask.");
      return;
    }
    showQuestion();
  }

  function interviewMessage(text) {
    interviewCard.hidden = true;
    $("interview-empty").hidden = false;
    $("interview-empty").textContent = text;
  }

  function showDue(due) {
    $("interview-due").textContent = `Reviews due: ${due.today} today, ${due.thisWeek} this week.`;
  }

  function showQuestion() {
    const q = interview.questions[interview.at];
    if (!q) { interviewMessage("That was the last of these questions: New questions asks the next ones."); return; }
    $("interview-empty").hidden = true;
    interviewCard.hidden = false;
    interviewCard.dataset.id = q.id;
    interviewCard.dataset.state = "asking";
    $("interview-count").textContent = `Question ${interview.at + 1} of ${interview.questions.length} · ${q.topic}`;
    $("interview-question").innerHTML = window.MlTutorMath.renderInline(q.question);
    answerBox.value = "";
    answerBox.readOnly = false;
    $("interview-grade-button").disabled = false;
    $("interview-hint-text").hidden = true;
    $("interview-result").hidden = true;
    $("interview-model").hidden = true;
    interview.shownAt = performance.now();
    answerBox.focus();
  }

  async function gradeAnswer() {
    const q = interview.questions[interview.at];
    const answer = answerBox.value;
    if (!q || interview.grading || answerBox.readOnly || !answer.trim()) return;
    interview.grading = true;
    interviewCard.dataset.state = "grading";
    // A language model may take a while to grade: say so where the button was pressed.
    // Moving on meanwhile would show this grade under the next question: skipping waits for it.
    const button = $("interview-grade-button"), moveOn = [$("interview-skip"), $("interview-start").querySelector("button")];
    button.disabled = true;
    button.textContent = "Grading…";
    moveOn.forEach(b => { b.disabled = true; });
    interviewCard.setAttribute("aria-busy", "true");
    // How long the answer took: a clear pass given quickly is scheduled further out.
    const seconds = Math.round((performance.now() - interview.shownAt) / 100) / 10;
    try {
      const response = await fetch("api/interview/answer", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-MlTutor-Token": token },
        body: JSON.stringify({ id: q.id, answer, seconds }),
      });
      if (!response.ok) throw new Error(await errorOf(response));
      showGrade(await response.json());
      answerBox.readOnly = true;
      interviewCard.dataset.state = "graded";
      $("interview-next").focus();
    } catch (e) {
      // Nothing of an earlier grade stays beside the error.
      $("interview-covered").replaceChildren();
      $("interview-missed").replaceChildren();
      $("interview-model").hidden = true;
      $("interview-next-review").textContent = "";
      $("interview-result").hidden = false;
      $("interview-verdict").textContent = String(e.message || e);
      $("interview-verdict").className = "notice error";
      $("interview-verdict").setAttribute("role", "alert");
      interviewCard.dataset.state = "failed";
      $("interview-grade-button").disabled = false;
    } finally {
      interview.grading = false;
      button.textContent = "Grade my answer";
      moveOn.forEach(b => { b.disabled = false; });
      interviewCard.removeAttribute("aria-busy");
    }
  }

  function showGrade(result) {
    const grade = result.grade, verdict = $("interview-verdict");
    $("interview-result").hidden = false;
    $("interview-result").dataset.verdict = grade.verdict;
    verdict.className = `verdict ${grade.verdict}`;
    verdict.removeAttribute("role");
    verdict.textContent = `${grade.verdict[0].toUpperCase()}${grade.verdict.slice(1)}: score ${grade.score.toFixed(2)}`;
    $("interview-covered").replaceChildren(...pointItems(grade.covered, false));
    $("interview-missed").replaceChildren(...pointItems(grade.missed, true));
    showModelGrade(grade);
    const review = result.review;
    $("interview-next-review").textContent = `Next review of this question: ${new Date(review.due).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })} `
      + `(in ${interval(review.days)}; rated ${review.rating}).` + (result.warning ? ` ${result.warning}` : "");
    showDue(result.due);
  }

  // With a language model configured, its grade follows the offline one: who graded, the score out of 10, the feedback
  // (or why it gave none). Its words are shown as text: a model's reply is never markup.
  function showModelGrade(grade) {
    const box = $("interview-model"), model = grade.byModel;
    box.hidden = !model && !grade.modelError;
    if (box.hidden) return;
    if (model) {
      const score = model.score === null ? "" : ` — ${Math.round(model.score * 100) / 10}/10`;
      $("interview-model-heading").textContent = `The interviewer (${model.provider} model)${score}`;
      $("interview-model-feedback").textContent = model.feedback;
    } else {
      $("interview-model-heading").textContent = "The interviewer";
      $("interview-model-feedback").textContent = `The language model gave no grade (${grade.modelError}); the grade above stands.`;
    }
  }

  // Key points as list items; a missed one links to its lines (the side panel, or the note at those lines).
  function pointItems(points, withLines) {
    if (points.length === 0) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = "none";
      return [li];
    }
    return points.map(p => {
      const li = document.createElement("li");
      const text = document.createElement("span");
      text.innerHTML = window.MlTutorMath.renderInline(p.text);
      li.append(text);
      if (withLines) {
        const link = document.createElement("a");
        link.className = "cite lines-link";
        link.href = noteLink(p.file, p.startLine, p.endLine);
        link.textContent = `re-read ${p.file}:${p.startLine}-${p.endLine}`;
        link.lines = p;
        li.append(" ", link);
      }
      return li;
    });
  }

  function interval(days) {
    if (days >= 1) return `${Math.round(days)} day${Math.round(days) === 1 ? "" : "s"}`;
    const minutes = Math.max(1, Math.round(days * 24 * 60));
    return minutes >= 60 ? `${Math.round(minutes / 60)} h` : `${minutes} min`;
  }

  // --- the index ----------------------------------------------------------------------------------------------
  const indexView = $("index-view"), indexProgress = $("index-progress");

  async function showIndex() {
    showView("index-view");
    await showStatus();
  }

  async function showStatus() {
    const response = await fetch("api/status");
    if (!response.ok) { $("index-summary").textContent = await errorOf(response); return; }
    const status = await response.json();
    $("index-summary").textContent = status.generation
      ? `Built ${new Date(status.builtUtc).toLocaleString()}: ${status.chunks} chunks, ${(status.bytesOnDisk / 1e6).toFixed(1)} MB on disk.`
      : "No index yet: Re-index builds it.";
    const changed = status.notes.filter(n => n.state !== "indexed" && n.state !== "skipped");
    $("index-changes").textContent = status.upToDate ? "Up to date with the notes."
      : status.settingsChanged ? "Built with other settings: re-indexing builds it anew."
      : `The notes changed since: ${changed.map(n => `${n.file} (${n.state})`).join(", ")}.`;
    indexView.dataset.upToDate = status.upToDate;
    $("index-notes").tBodies[0].replaceChildren(...status.notes.map(n => {
      const row = document.createElement("tr");
      row.dataset.file = n.file;
      const name = document.createElement("td"), state = document.createElement("td"), chunks = document.createElement("td");
      const link = document.createElement("a");
      link.href = `?note=${encodeURIComponent(n.file)}`;
      link.textContent = n.file;
      name.append(link);
      state.className = "state";
      state.textContent = n.reason ? `${n.state}: ${n.reason}` : n.state;
      chunks.textContent = n.chunks || "";
      row.append(name, state, chunks);
      return row;
    }));
  }

  async function reindex() {
    if (indexView.dataset.state === "running") return;
    indexView.dataset.state = "running";
    $("reindex").disabled = true;
    $("index-run").hidden = false;
    indexProgress.max = 1;
    indexProgress.value = 0;
    $("index-stage").textContent = "Starting";
    const report = $("index-report");
    report.className = "";
    report.textContent = "";
    try {
      const response = await fetch("api/reindex", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-MlTutor-Token": token },
        body: JSON.stringify({ rebuild: $("rebuild").checked }),
      });
      if (!response.ok) throw new Error(await errorOf(response));
      let done = null;
      for await (const event of serverSentEvents(response)) {
        if (event.name === "progress") {
          indexProgress.max = Math.max(1, event.data.total);
          indexProgress.value = event.data.done;
          $("index-stage").textContent = `${event.data.stage}: ${event.data.done} of ${event.data.total}`;
        } else if (event.name === "report") {
          done = event.data;
        } else if (event.name === "error") {
          throw new Error(event.data.error);
        }
      }
      if (!done) throw new Error("the re-index ended before its report");
      indexProgress.value = indexProgress.max;
      $("index-stage").textContent = "Done";
      report.textContent = (done.upToDate ? `Nothing had changed: ${done.files} files, ${done.chunks} chunks.`
        : `Indexed ${done.files} files (${done.changedFiles} changed, ${done.removedFiles} removed): ${done.chunks} chunks, `
          + `${done.embedded} embedded, ${done.reused} reused, in ${done.seconds} s.`)
        + done.warnings.map(w => ` Warning: ${w}`).join("");
      await showStatus();
      indexView.dataset.state = "done";
    } catch (e) {
      report.className = "notice error";
      report.textContent = String(e.message || e);
      indexView.dataset.state = "failed";
    } finally {
      $("reindex").disabled = false;
    }
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
  $("interview-start").addEventListener("submit", e => {
    e.preventDefault();
    startInterview($("interview-topic").value.trim());
  });
  $("interview-form").addEventListener("submit", e => {
    e.preventDefault();
    gradeAnswer();
  });
  answerBox.addEventListener("keydown", e => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      $("interview-form").requestSubmit();
    }
  });
  $("interview-hint").addEventListener("click", () => {
    const q = interview.questions[interview.at];
    const hint = $("interview-hint-text");
    hint.textContent = `Hint: the answer is in ${q.file} near line ${q.startLine}, under '${q.topic}'.`;
    hint.hidden = false;
  });
  const nextQuestion = () => { interview.at++; showQuestion(); };
  $("interview-skip").addEventListener("click", nextQuestion);
  $("interview-next").addEventListener("click", nextQuestion);
  $("interview-missed").addEventListener("click", e => {
    const link = e.target.closest("a.lines-link");
    if (!link) return;
    e.preventDefault();
    openLines(link.lines, link);
  });
  $("reindex").addEventListener("click", reindex);
  $("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", e => { if (e.key === "Escape") closePanel(); });

  const params = new URLSearchParams(location.search);
  if (params.has("note")) showNote(params.get("note"));
  else if (params.has("notes")) showNotes();
  else if (params.has("interview")) startInterview(params.get("topic") || params.get("interview"));
  else if (params.has("index")) showIndex();
  else {
    showView("ask-view");
    if (params.get("mode") === "interviewer") $("mode").value = "interviewer";
    if (params.get("q")) ask(params.get("q"));
    questionBox.focus();
  }
})();
