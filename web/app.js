// vanban's page. It only calls the HTTP API and draws what it answers: every rule of the
// pipeline (reading, binding, the texts of problems) lives in the server. Data is put into
// the page as text, never as HTML.
"use strict";

const state = { wb: null, build: null, events: null, previews: 0 };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function show(id, on) { $(id).hidden = !on; }
function say(id, text) { $(id).textContent = text || ""; show(id, !!text); }

async function api(method, path, body, type) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    if (body instanceof FormData) opts.body = body;
    else { opts.body = typeof body === "string" ? body : JSON.stringify(body); opts.headers["Content-Type"] = type || "application/json"; }
  }
  const res = await fetch(path, opts);
  const isJson = (res.headers.get("Content-Type") || "").includes("json");
  const data = isJson ? await res.json() : null;
  if (!res.ok) throw new Error((data && data.error) || ("Lỗi " + res.status));
  return data;
}

// ---------------------------------------------------------------- 1. the workbook

async function upload(file) {
  say("upload-error", "");
  show("busy", true);
  try {
    const form = new FormData();
    form.append("file", file, file.name);
    render(await api("POST", "/api/workbooks", form));
  } catch (e) {
    say("upload-error", e.message);
  } finally {
    show("busy", false);
  }
}

function setupDrop() {
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) upload(e.dataTransfer.files[0]);
  });
  $("file").addEventListener("change", () => { if ($("file").files.length) upload($("file").files[0]); });
}

// ---------------------------------------------------------------- 2. what was read, problems

function render(data) {
  state.wb = data;
  $("wb-name").textContent = data.name;
  const sheets = $("sheets");
  sheets.replaceChildren();
  for (const s of data.inspection.sheets) {
    sheets.append(el("div", { class: "sheet" }, ...s.summary.map((line) => el("p", { text: line }))));
  }
  const list = $("templates");
  list.replaceChildren();
  for (const t of data.templates) {
    const status = t.fits
      ? el("span", { class: "fits", text: "dùng được — " + t.documents + " văn bản" })
      : el("span", { class: "unfit", text: t.error ? "mẫu bị lỗi" : "chưa dùng được — " + t.problems.length + " vấn đề" });
    list.append(el("li", { "data-template": t.name }, el("strong", { text: t.name }), " — " + t.description + ": ", status));
  }
  renderProblems(data);
  $("command").textContent = data.command;
  $("save-profile").href = "/api/workbooks/" + data.id + "/profile";
  show("step-read", true);
  fillPreviewChoices();
  fillBuildChoices();
  show("step-preview", data.templates.some((t) => t.fits));
  show("step-build", data.templates.some((t) => t.fits));
}

// Problems of every template, grouped by sheet; one problem reported by several templates
// is shown once, with the names of the templates it stops.
function renderProblems(data) {
  const box = $("problems");
  box.replaceChildren();
  const groups = new Map();
  const add = (p, template, warning) => {
    const key = (warning ? "w:" : "e:") + (p.sheet || "");
    if (!groups.has(key)) groups.set(key, { sheet: p.sheet, warning, items: new Map() });
    const id = p.text;
    const items = groups.get(key).items;
    if (!items.has(id)) items.set(id, { p, templates: [] });
    if (template) items.get(id).templates.push(template);
  };
  for (const p of data.profile_problems) add(p, null, false);
  for (const t of data.templates) {
    for (const p of t.problems) add(p, t.name, false);
    for (const p of t.warnings) add(p, t.name, true);
    for (const p of t.notes) add(p, t.name, true);
    if (t.error) add({ sheet: null, message: t.error, text: t.error, kind: "template" }, t.name, false);
  }
  if (groups.size === 0) return;
  box.append(el("h3", { text: "Cần sửa" }));
  const ordered = [...groups.values()].sort((a, b) => a.warning - b.warning);
  for (const g of ordered) {
    const title = (g.warning ? "Lưu ý — " : "") + (g.sheet ? "Trang tính \"" + g.sheet + "\"" : "Chung");
    const div = el("div", { class: "problem-group" + (g.warning ? " warning-group" : "") }, el("h4", { text: title }));
    for (const { p, templates } of g.items.values()) div.append(problemItem(p, templates));
    box.append(div);
  }
}

function problemItem(p, templates) {
  const where = [p.cell, p.label ? "\"" + p.label + "\"" : null].filter(Boolean).join(" ");
  const item = el("div", { class: "problem", "data-kind": p.kind || "" },
    where ? el("span", { class: "where", text: where + ": " }) : null,
    el("span", { text: p.message }),
    templates.length ? el("span", { class: "muted", text: " (mẫu " + templates.join(", ") + ")" }) : null);
  const fix = fixFor(p);
  if (fix) item.append(el("label", { class: "fix" }, fix));
  return item;
}

function columnsOf(sheetName) {
  const s = state.wb.inspection.sheets.find((x) => x.name === sheetName);
  return s ? s.columns : [];
}

// The input that fixes a problem, when a choice can: the same overrides as the command line.
function fixFor(p) {
  const profile = state.wb.profile;
  if (p.kind === "no_column") {
    const sel = el("select", { "data-field": p.field }, el("option", { value: "", text: "— chọn cột có \"" + p.column + "\" —" }));
    for (const c of columnsOf(p.sheet)) {
      const name = c.label || c.column;
      const ex = c.examples.length ? " (ví dụ: " + c.examples.join("; ") + ")" : "";
      sel.append(el("option", { value: name, text: "Cột " + c.column + (c.label ? " \"" + c.label + "\"" : "") + ex }));
    }
    sel.addEventListener("change", () => { if (sel.value) change({ map: [[p.field, sel.value]] }); });
    return sel;
  }
  if (p.kind === "unused_column" && p.field) {
    const b = el("button", { type: "button", class: "secondary", text: "Dùng cột " + p.letter + " cho \"" + p.maybe + "\"" });
    b.addEventListener("click", () => change({ map: [[p.field, p.letter]] }));
    return b;
  }
  if (p.kind === "no_item" || (p.kind === "required" && p.label && p.cell && p.cell.startsWith("B"))) {
    const item = p.item || p.label;
    let input;
    if (p.type === "choice" && p.choices && p.choices.length) {
      input = el("select", { "data-item": item }, el("option", { value: "", text: "— chọn —" }), ...p.choices.map((c) => el("option", { value: c, text: c })));
      input.addEventListener("change", () => { if (input.value) change({ set: [[item, input.value]] }); });
    } else {
      input = el("input", { type: p.type === "date" ? "date" : "text", "data-item": item, placeholder: "Nhập " + item });
      input.addEventListener("change", () => {
        if (!input.value) return;
        const v = p.type === "date" ? input.value.split("-").reverse().join("/") : input.value;
        change({ set: [[item, v]] });
      });
    }
    return input;
  }
  if (p.kind === "no_sheet" && p.fix === "name_sheet" || p.kind === "no_such_sheet" || p.kind === "no_table_sheet") {
    const sel = el("select", { "data-option": "sheet" }, el("option", { value: "", text: "— chọn trang tính —" }),
      ...p.sheets.map((s) => el("option", { value: s, text: s })));
    sel.addEventListener("change", () => { if (sel.value) change({ sheet: sel.value }); });
    return sel;
  }
  if (p.kind === "no_header" || p.kind === "no_table" || p.kind === "no_data_rows") {
    const input = el("input", { type: "number", min: "1", "data-option": "header_row", placeholder: "Dòng tên cột" });
    input.addEventListener("change", () => { if (input.value) change({ header_row: Number(input.value) }); });
    return input;
  }
  if (p.kind === "unknown_set" || p.kind === "unknown_map") {
    const b = el("button", { type: "button", class: "secondary", text: "Bỏ lựa chọn này" });
    b.addEventListener("click", () => {
      const key = p.key || p.field;
      const next = structuredClone(profile);
      const list = p.kind === "unknown_set" ? "set" : "map";
      if (next[list]) delete next[list][key];
      send(next);
    });
    return b;
  }
  return null;
}

// Adds to the profile: `map` and `set` pairs replace the same key's value.
function change(delta) {
  const next = structuredClone(state.wb.profile || {});
  for (const list of ["map", "set"]) {
    for (const [k, v] of delta[list] || []) {
      next[list] = next[list] || {};
      next[list][k] = v;
    }
  }
  if (delta.sheet) next.sheet = delta.sheet;
  if (delta.header_row) next.header_row = delta.header_row;
  send(next);
}

async function send(profile, type) {
  say("profile-error", "");
  try {
    render(await api("PUT", "/api/workbooks/" + state.wb.id + "/overrides", profile, type));
  } catch (e) {
    say("profile-error", e.message);
    $("profile-box").open = true;
  }
}

function setupProfile() {
  $("profile-file").addEventListener("change", async () => {
    const f = $("profile-file").files[0];
    if (f && state.wb) send(await f.text(), "application/toml");
  });
  $("clear-profile").addEventListener("click", () => send({}));
}

// ---------------------------------------------------------------- 3. preview

function fillPreviewChoices() {
  const sel = $("pv-template");
  const keep = sel.value;
  sel.replaceChildren(...state.wb.templates.filter((t) => t.fits).map((t) => el("option", { value: t.name, text: t.name })));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  fillDocs();
}

function fillDocs() {
  const t = state.wb.templates.find((x) => x.name === $("pv-template").value);
  const sel = $("pv-doc");
  const keep = sel.value;
  sel.replaceChildren();
  (t ? t.rows : []).forEach((d, i) => {
    const where = d.row ? "dòng " + d.row + " — " : "";
    sel.append(el("option", { value: String(i + 1), text: where + d.name }));
  });
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  $("pv-page").replaceChildren(el("option", { value: "1", text: "1" }));
  drawPreview();
}

async function drawPreview() {
  const template = $("pv-template").value;
  if (!template || !state.wb) return;
  const doc = $("pv-doc").value || "1";
  const page = $("pv-page").value || "1";
  const q = "?template=" + encodeURIComponent(template) + "&doc=" + doc;
  $("pv-pdf").href = "/api/workbooks/" + state.wb.id + "/pdf" + q;
  say("pv-error", "");
  // Only the latest request is drawn: an earlier, slower one must not replace it.
  const mine = ++state.previews;
  try {
    const res = await fetch("/api/workbooks/" + state.wb.id + "/preview" + q + "&page=" + page);
    if (mine !== state.previews) return;
    if (!res.ok) throw new Error((await res.json()).error);
    const pages = Number(res.headers.get("X-Pages") || "1");
    const sel = $("pv-page");
    if (sel.options.length !== pages) {
      sel.replaceChildren(...Array.from({ length: pages }, (_, i) => el("option", { value: String(i + 1), text: String(i + 1) })));
      sel.value = page;
    }
    const img = $("pv-image");
    if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
    const blob = await res.blob();
    if (mine !== state.previews) return;
    img.dataset.url = URL.createObjectURL(blob);
    img.dataset.shown = template + "/" + doc + "/" + page;
    img.src = img.dataset.url;
  } catch (e) {
    say("pv-error", e.message);
  }
}

// ---------------------------------------------------------------- 4. build

function fillBuildChoices() {
  const sel = $("bd-template");
  const keep = sel.value;
  sel.replaceChildren(el("option", { value: "", text: "Tất cả các mẫu dùng được" }),
    ...state.wb.templates.filter((t) => t.fits).map((t) => el("option", { value: t.name, text: t.name + " (" + t.documents + " văn bản)" })));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
}

function seconds(s) {
  if (s == null) return "";
  if (s < 60) return "còn khoảng " + Math.max(1, Math.round(s)) + " giây";
  return "còn khoảng " + Math.round(s / 60) + " phút";
}

async function startBuild() {
  say("bd-error", "");
  show("bd-zip", false);
  $("bd-failures").replaceChildren();
  const t = $("bd-template").value;
  try {
    const { id } = await api("POST", "/api/workbooks/" + state.wb.id + "/builds", t ? { templates: [t] } : {});
    state.build = id;
    show("bd-progress", true);
    show("bd-cancel", true);
    $("bd-start").disabled = true;
    if (state.events) state.events.close();
    state.events = new EventSource("/api/builds/" + id + "/events");
    state.events.addEventListener("progress", (e) => progress(JSON.parse(e.data)));
  } catch (e) {
    say("bd-error", e.message);
  }
}

function progress(s) {
  $("bd-bar").max = Math.max(1, s.total);
  $("bd-bar").value = s.done;
  const parts = [s.done + " / " + s.total + " văn bản"];
  if (s.state === "running" && s.current) parts.push("đang làm: " + s.current);
  if (s.state === "running") parts.push(seconds(s.seconds_left));
  if (s.state === "done") parts.push("xong: " + s.documents + " văn bản");
  if (s.state === "cancelled") parts.push("đã dừng");
  if (s.state === "cancelling") parts.push("đang dừng…");
  $("bd-text").textContent = parts.filter(Boolean).join(" — ");
  if (s.state === "running" || s.state === "cancelling") return;
  state.events.close();
  show("bd-cancel", false);
  $("bd-start").disabled = false;
  if (s.error) say("bd-error", s.error);
  $("bd-failures").replaceChildren(...s.failures.map((f) => el("li", { text: f.document + ": " + f.reason })));
  if (s.state === "done") {
    $("bd-zip").href = "/api/builds/" + state.build + "/zip";
    show("bd-zip", true);
  }
}

async function cancelBuild() {
  if (state.build) await api("DELETE", "/api/builds/" + state.build).catch((e) => say("bd-error", e.message));
}

document.addEventListener("DOMContentLoaded", () => {
  setupDrop();
  setupProfile();
  $("pv-template").addEventListener("change", fillDocs);
  $("pv-doc").addEventListener("change", () => { $("pv-page").value = "1"; drawPreview(); });
  $("pv-page").addEventListener("change", drawPreview);
  $("bd-start").addEventListener("click", startBuild);
  $("bd-cancel").addEventListener("click", cancelBuild);
});
