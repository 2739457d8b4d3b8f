// The unspin web page: sends the text to POST /v1/check with UTF-16 offsets
// (JavaScript strings count UTF-16 units, so offsets slice them directly)
// and draws the result. No libraries, no network beyond this server.
"use strict";

const $ = (id) => document.getElementById(id);
let lastText = "";
let lastResult = null;

function setStatus(message, isError) {
  const status = $("status");
  status.textContent = message;
  status.classList.toggle("error", Boolean(isError));
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Background of a highlight: the more confident, the darker.
function shade(confidence) {
  const alpha = 0.15 + 0.6 * Math.max(0, Math.min(1, confidence));
  return `rgba(214, 64, 40, ${alpha.toFixed(2)})`;
}

// The spans of the spun view, in input order: every applied edit of
// `matches`, and every `review` span (SCHEMA §3b) that is not an applied
// edit, i.e. a candidate below the edit threshold ("candidate"), a word pair
// clean English almost never joins ("unusual", no original) or a listed
// phrase left unapplied. `review` lists the applied edits too; they are drawn
// once, from `matches`. A review span overlapping an edit is left out, so the
// spans never nest (the server sends none such; the check costs nothing).
function spansOf(result) {
  const spans = result.matches.map((m) => ({
    kind: "edit", offset: m.offset, length: m.length,
    original: m.replacements.length ? m.replacements[0].value : "", confidence: m.confidence,
  }));
  const overlapsEdit = (r) => result.matches.some(
    (m) => r.offset < m.offset + m.length && m.offset < r.offset + r.length);
  for (const r of result.review || []) {
    if (r.applied || overlapsEdit(r)) continue;
    spans.push({ kind: "review", offset: r.offset, length: r.length, original: r.original || "",
                 confidence: r.confidence, reason: r.reason });
  }
  return spans.sort((a, b) => a.offset - b.offset);
}

// The input with each span as a focusable <mark> carrying its original and
// confidence (also shown in a tip on hover and focus): an edit ("spun",
// shaded by confidence) or a review span ("review", lighter: dotted underline).
function renderSpun(container, text, spans) {
  container.replaceChildren();
  let at = 0;
  spans.forEach((s, i) => {
    container.append(document.createTextNode(text.slice(at, s.offset)));
    const spun = text.slice(s.offset, s.offset + s.length);
    const pct = Math.round(100 * s.confidence);
    const attrs = {
      tabindex: "0",
      "data-index": String(i),
      "data-spun": spun,
      "data-original": s.original,
      "data-confidence": s.confidence.toFixed(3),
    };
    let tipText;
    if (s.kind === "edit") {
      attrs.class = "spun";
      attrs.title = `original: "${s.original}" (confidence ${pct}%)`;
      attrs["aria-label"] = `${spun}: likely spun; original "${s.original}", confidence ${pct} percent`;
      tipText = `→ ${s.original} · ${pct}%`;
    } else {
      attrs.class = "review";
      attrs["data-reason"] = s.reason;
      const what = s.original ? `perhaps "${s.original}"` : "unusual wording";
      attrs.title = `to review: ${what} (confidence ${pct}%; not restored)`;
      attrs["aria-label"] = `${spun}: worth a look, ${what}, confidence ${pct} percent; not restored`;
      tipText = `${s.original ? "? " + s.original : "unusual wording"} · ${pct}%`;
    }
    const mark = el("mark", attrs, spun);
    if (s.kind === "edit") mark.style.backgroundColor = shade(s.confidence);
    mark.append(el("span", { class: "tip", "aria-hidden": "true" }, tipText));
    container.append(mark);
    at = s.offset + s.length;
  });
  container.append(document.createTextNode(text.slice(at)));
}

// The restored text with each restored span marked (built from the input
// and the matches; equal to the server's "restored").
function renderRestored(container, text, matches, markTag) {
  container.replaceChildren();
  let at = 0;
  for (const m of matches) {
    container.append(document.createTextNode(text.slice(at, m.offset)));
    const original = m.replacements.length ? m.replacements[0].value : "";
    const spun = text.slice(m.offset, m.offset + m.length);
    const mark = el(markTag, { class: "restored", title: `spun: "${spun}"`, "data-original": original }, original);
    container.append(mark);
    at = m.offset + m.length;
  }
  container.append(document.createTextNode(text.slice(at)));
}

function renderDiff(text, matches) {
  const left = $("diff-spun");
  left.replaceChildren();
  let at = 0;
  for (const m of matches) {
    left.append(document.createTextNode(text.slice(at, m.offset)));
    left.append(el("del", { class: "spun-del" }, text.slice(m.offset, m.offset + m.length)));
    at = m.offset + m.length;
  }
  left.append(document.createTextNode(text.slice(at)));
  renderRestored($("diff-restored"), text, matches, "ins");
}

function verdictLabel(verdict) {
  return { spun: "Likely spun", clean: "No sign of spinning", "too short": "Too short for a verdict",
           "not English": "Not English" }[verdict] || verdict;
}

function render(text, r) {
  lastText = text;
  lastResult = r;
  $("results").hidden = false;
  const verdict = $("verdict");
  verdict.textContent = verdictLabel(r.verdict);
  verdict.className = "verdict " + r.verdict.replace(/\s+/g, "-");
  const score = r.score === null ? "no score" : `score ${r.score.toFixed(3)} (threshold ${r.threshold.toFixed(2)})`;
  const spans = spansOf(r);
  const toReview = spans.length - r.matches.length;
  $("score-line").textContent =
    `${score} · estimated spin rate ${(100 * r.spin_rate).toFixed(0)}% · ${r.matches.length} ` +
    `spun span${r.matches.length === 1 ? "" : "s"}` +
    (toReview ? `, ${toReview} more to review` : "") + ` in ${r.words} words`;

  const reasons = $("reasons");
  reasons.replaceChildren();
  for (const reason of r.reasons) reasons.append(el("li", { "data-kind": reason.kind }, reason.message));
  if (!r.reasons.length) reasons.append(el("li", {}, "No evidence of spinning."));

  renderSpun($("view-spun"), text, spans);
  renderRestored($("view-restored"), text, r.matches, "mark");
  renderDiff(text, r.matches);

  const body = $("paragraphs").querySelector("tbody");
  body.replaceChildren();
  r.paragraphs.forEach((p, i) => {
    const row = el("tr");
    const start = text.slice(p.offset, p.offset + p.length).trim().slice(0, 60);
    row.append(el("td", {}, String(i + 1)), el("td", {}, start + (p.length > 60 ? "…" : "")),
               el("td", {}, String(p.words)));
    const cell = el("td", { class: "score-cell" });
    if (p.score === null) {
      cell.textContent = "—";
    } else {
      const bar = el("span", { class: "bar", "aria-hidden": "true" });
      bar.style.width = `${Math.round(60 * p.score)}px`;
      bar.style.backgroundColor = shade(p.score);
      cell.append(bar, document.createTextNode(" " + p.score.toFixed(2)));
    }
    row.append(cell, el("td", {}, verdictLabel(p.verdict)));
    body.append(row);
  });
  showView(document.querySelector('input[name="view"]:checked').value);
}

function showView(view) {
  $("view-spun").hidden = view !== "spun";
  $("view-restored").hidden = view !== "restored";
  $("view-diff").hidden = view !== "diff";
}

async function check() {
  const text = $("input-text").value;
  if (!text.trim()) {
    setStatus("Paste some text first.", true);
    return;
  }
  setStatus("Checking…");
  $("check-button").disabled = true;
  try {
    const response = await fetch("/v1/check", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text, offsets: "utf16" }),
    });
    const body = await response.json();
    if (!response.ok) {
      setStatus(`Error: ${body.error ? body.error.message : response.statusText}`, true);
      return;
    }
    render(text, body);
    setStatus(`Checked ${text.length} characters.`);
  } catch (e) {
    setStatus(`Error: ${e.message}`, true);
  } finally {
    $("check-button").disabled = false;
  }
}

function loadFile(file) {
  if (!file) return;
  if (file.size > 1 << 20) {
    setStatus(`${file.name} is larger than 1 MB; the server refuses it.`, true);
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    $("input-text").value = reader.result;
    setStatus(`Loaded ${file.name}.`);
    check();
  };
  reader.onerror = () => setStatus(`Could not read ${file.name}.`, true);
  reader.readAsText(file);
}

async function copyRestored() {
  if (!lastResult) return;
  try {
    await navigator.clipboard.writeText(lastResult.restored);
    setStatus("Restored text copied.");
  } catch (e) {
    // Clipboard API refused (no permission, plain http): select it for Ctrl+C.
    const area = el("textarea");
    area.value = lastResult.restored;
    document.body.append(area);
    area.select();
    const ok = document.execCommand && document.execCommand("copy");
    area.remove();
    setStatus(ok ? "Restored text copied." : "Copy refused by the browser; use Download.", !ok);
  }
}

function downloadRestored() {
  if (!lastResult) return;
  const blob = new Blob([lastResult.restored], { type: "text/plain;charset=utf-8" });
  const link = el("a", { href: URL.createObjectURL(blob), download: "restored.txt" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

$("check-button").addEventListener("click", check);
$("input-text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    check();
  }
});
$("clear-button").addEventListener("click", () => {
  $("input-text").value = "";
  $("results").hidden = true;
  lastResult = null;
  setStatus("");
  $("input-text").focus();
});
$("file-input").addEventListener("change", (e) => loadFile(e.target.files[0]));
const drop = $("drop-zone");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("dragging");
});
drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("dragging");
  loadFile(e.dataTransfer.files[0]);
});
for (const radio of document.querySelectorAll('input[name="view"]')) {
  radio.addEventListener("change", () => showView(radio.value));
}
$("copy-button").addEventListener("click", copyRestored);
$("download-button").addEventListener("click", downloadRestored);
