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
  if (!res.ok) {
    const e = new Error((data && data.error) || ("Lỗi " + res.status));
    e.problems = data && data.problems;
    throw e;
  }
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
  if (!state.wb || state.wb.id !== data.id) forgetBlank();
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
  showBlank(data);
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

// ---------------------------------------------------------------- phôi giấy khen (blank profiles)

// The blank profile the server holds for this workbook, as JSON (`GET .../blank`). Edits
// change it here at once (boxes, inputs), then go to the server as TOML after a pause; the
// server checks them with the same code as `--blank` and draws the preview.
const blank = { profile: null, selected: "ten", timer: null, inflight: null, sent: 0, previews: 0, wb: null, dragging: false, held: null };
const BLANK_TEMPLATE = "giay-khen";
const snap = (v) => Math.round(v * 2) / 2;

function blankBase() { return "/api/workbooks/" + state.wb.id + "/blank"; }

// Another workbook: an edit not yet sent is dropped (it belongs to the old one), and answers
// still on their way for the old one are not taken.
function forgetBlank() {
  clearTimeout(blank.timer);
  blank.timer = null;
  blank.held = null;
  blank.sent++;
  blank.previews++;
}

function showBlank(data) {
  const t = data.templates.find((x) => x.name === BLANK_TEMPLATE);
  const on = !!(t && t.fits);
  show("step-blank", on);
  if (!on) return;
  const sel = $("bl-doc");
  const keep = sel.value;
  sel.replaceChildren(...t.rows.map((d, i) => el("option", { value: String(i + 1), text: (d.row ? "dòng " + d.row + " — " : "") + d.name })));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  if (blank.wb !== data.id) {
    blank.wb = data.id;
    blank.profile = null;
    const id = data.id;
    api("GET", blankBase()).then((p) => { if (blank.wb === id) setBlank(p); }).catch((e) => blankError(e.message));
  } else if (blank.profile) {
    blankPreview();
  }
}

// Takes the server's profile; redraws everything and the preview.
function setBlank(p) {
  blank.profile = p;
  $("bl-stage").style.aspectRatio = p.sheet.w + " / " + p.sheet.h;
  if (!p.fields.some((f) => f.name === blank.selected)) blank.selected = p.fields.length ? p.fields[0].name : null;
  const choices = $("bl-field");
  if ([...choices.options].map((o) => o.value).join() !== p.fields.map((f) => f.name).join()) {
    choices.replaceChildren(...p.fields.map((f) => el("option", { value: f.name, text: f.label + " (" + f.name + ")" })));
  }
  show("bl-remove-image", !!p.image);
  const notes = p.notes || [];
  blankStatus(p.image ? "Ảnh phôi: " + p.image : "Chưa có ảnh phôi: hình chỉ có phần chữ.");
  blankError(notes.join("\n"));
  drawBoxes();
  fillBlankForm();
  blankLinks();
  blankPreview();
}

function blankStatus(text) { $("bl-status").textContent = text || ""; }

function blankError(text, problems) {
  const box = $("bl-error");
  box.replaceChildren();
  if (problems && problems.length) {
    box.append(el("p", { text: "Hồ sơ phôi chưa dùng được, chưa có gì thay đổi:" }),
      el("ul", {}, ...problems.map((p) => el("li", { text: (p.line ? "dòng " + p.line + ": " : "") + p.message }))));
  } else if (text) {
    box.append(el("p", { text }));
  }
  box.hidden = !box.childElementCount;
}

function field(name) { return blank.profile.fields.find((f) => f.name === name); }

// One box per field of the profile; a box that is there already stays (with its focus).
function drawBoxes() {
  const p = blank.profile;
  const layer = $("bl-boxes");
  const names = new Set(p.fields.map((f) => f.name));
  for (const box of [...layer.children]) if (!names.has(box.dataset.field)) box.remove();
  for (const f of p.fields) {
    if (!layer.querySelector("[data-field='" + f.name + "']")) {
      const box = el("div", { class: "box", tabindex: "0", role: "button", "data-field": f.name },
        el("span", { class: "tag", text: f.label }));
      box.addEventListener("pointerdown", (e) => startDrag(e, f.name));
      box.addEventListener("keydown", (e) => nudge(e, f.name));
      box.addEventListener("focus", () => select(f.name));
      layer.append(box);
    }
    placeBox(f.name);
  }
}

// A box where its text prints: its x, y shifted by the offset, in percent of the sheet, so it
// follows the image's size on the screen.
function placeBox(name) {
  const p = blank.profile;
  const f = field(name);
  const box = $("bl-boxes").querySelector("[data-field='" + name + "']");
  if (!f || !box) return;
  const { w, h } = p.sheet;
  box.style.left = ((f.x + p.offset.dx) / w * 100) + "%";
  box.style.top = ((f.y + p.offset.dy) / h * 100) + "%";
  box.style.width = (f.w / w * 100) + "%";
  box.style.height = (f.h / h * 100) + "%";
  box.classList.toggle("off", !f.show);
  box.classList.toggle("selected", name === blank.selected);
  box.setAttribute("aria-label", f.label + ": x " + f.x + " mm, y " + f.y + " mm, rộng " + f.w + " mm, cao " + f.h + " mm" + (f.show ? "" : ", không in"));
  box.setAttribute("aria-pressed", String(name === blank.selected));
}

function select(name) {
  if (blank.selected === name) return;
  const before = blank.selected;
  blank.selected = name;
  placeBox(before);
  placeBox(name);
  fillBlankForm();
}

function fillBlankForm() {
  const p = blank.profile;
  const f = field(blank.selected);
  // A field being typed in keeps what is typed ("-" on the way to "-0.5").
  for (const k of ["dx", "dy"]) if (document.activeElement !== $("bl-" + k)) $("bl-" + k).value = p.offset[k];
  if (!f) return;
  $("bl-field").value = f.name;
  for (const k of ["x", "y", "w", "h", "size"]) if (document.activeElement !== $("bl-" + k)) $("bl-" + k).value = f[k];
  $("bl-align").value = f.align;
  $("bl-bold").checked = f.bold;
  $("bl-show").checked = f.show;
  $("bl-desc").textContent = f.description;
}

// One change made: the box moves now, the server hears of it after a pause.
function changed(name) {
  if (name) placeBox(name);
  else blank.profile.fields.forEach((f) => placeBox(f.name));
  fillBlankForm();
  clearTimeout(blank.timer);
  blankStatus("Chưa lưu…");
  blank.timer = setTimeout(sendBlank, 400);
}

function startDrag(e, name) {
  if (e.button !== 0) return;
  e.preventDefault();
  select(name);
  const box = e.currentTarget;
  box.focus();
  box.setPointerCapture(e.pointerId);
  const f = field(name);
  const mmPerPx = blank.profile.sheet.w / $("bl-stage").clientWidth;
  const start = { x: e.clientX, y: e.clientY, fx: f.x, fy: f.y };
  blank.dragging = true;
  const move = (m) => {
    const { w, h } = blank.profile.sheet;
    f.x = Math.min(Math.max(0, snap(start.fx + (m.clientX - start.x) * mmPerPx)), w - f.w);
    f.y = Math.min(Math.max(0, snap(start.fy + (m.clientY - start.y) * mmPerPx)), h - f.h);
    placeBox(name);
    fillBlankForm();
  };
  const end = () => {
    blank.dragging = false;
    box.removeEventListener("pointermove", move);
    box.removeEventListener("pointerup", end);
    box.removeEventListener("pointercancel", end);
    box.removeEventListener("lostpointercapture", end);
    if (f.x !== start.fx || f.y !== start.fy) changed(name);
    else if (blank.held) setBlank(blank.held);
    blank.held = null;
  };
  box.addEventListener("pointermove", move);
  box.addEventListener("pointerup", end);
  box.addEventListener("pointercancel", end);
  // The capture lost another way (the window left, the box redrawn): the drag ends too.
  box.addEventListener("lostpointercapture", end);
}

function nudge(e, name) {
  const step = e.shiftKey ? 5 : 0.5;
  const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
  if (!d) return;
  e.preventDefault();
  const f = field(name);
  const { w, h } = blank.profile.sheet;
  f.x = Math.min(Math.max(0, snap(f.x + d[0])), w - f.w);
  f.y = Math.min(Math.max(0, snap(f.y + d[1])), h - f.h);
  changed(name);
}

// The profile as the TOML the server reads (the background is the image sent, not a name).
function blankToml(p) {
  const q = JSON.stringify;
  const out = ["paper = " + q(p.paper), "orientation = " + q(p.orientation),
    "offset = { dx = " + p.offset.dx + ", dy = " + p.offset.dy + " }"];
  for (const f of p.fields) {
    out.push("", "[fields." + f.name + "]");
    for (const k of ["x", "y", "w", "h", "size", "min_size"]) out.push(k + " = " + f[k]);
    out.push("bold = " + !!f.bold, "italic = " + !!f.italic, "colour = " + q(f.colour), "align = " + q(f.align), "show = " + !!f.show);
  }
  return out.join("\n") + "\n";
}

async function putBlank(body, type) {
  const mine = ++blank.sent;
  const job = api("PUT", blankBase(), body, type);
  blank.inflight = job;
  try {
    const answer = await job;
    // A later edit is on its way: its answer will redraw.
    if (mine === blank.sent && !blank.timer && !blank.dragging) setBlank(answer);
    // Held while a box is dragged: taken when the drag ends without a move.
    else if (mine === blank.sent && !blank.timer) blank.held = answer;
  } catch (e) {
    if (mine === blank.sent) {
      blankStatus("");
      blankError(e.message, e.problems);
    }
  } finally {
    if (blank.inflight === job) blank.inflight = null;
  }
}

function sendBlank() {
  blank.timer = null;
  blank.held = null;
  if (!blank.profile) return Promise.resolve();
  blankStatus("Đang lưu…");
  return putBlank(blankToml(blank.profile), "application/toml");
}

// Waits until the server holds every edit made so far.
async function flushBlank() {
  if (blank.timer) { clearTimeout(blank.timer); await sendBlank(); }
  while (blank.inflight) await blank.inflight.catch(() => {});
}

function blankLinks() {
  const doc = $("bl-doc").value || "1";
  $("bl-save").href = blankBase() + "/profile";
  $("bl-print").href = "/api/workbooks/" + state.wb.id + "/pdf?template=" + BLANK_TEMPLATE + "&doc=" + doc + "&blank=print";
  $("bl-calibration").href = blankBase() + "/calibration";
}

// The error of an answer that is not OK: its JSON "error", or its status if it has none.
async function errorText(res) {
  const data = await res.json().catch(() => null);
  return (data && data.error) || ("Lỗi " + res.status);
}

async function blankPreview() {
  if (!blank.profile) return;
  const doc = $("bl-doc").value || "1";
  const mine = ++blank.previews;
  const img = $("bl-image");
  img.dataset.state = "loading";
  try {
    const res = await fetch("/api/workbooks/" + state.wb.id + "/preview?template=" + BLANK_TEMPLATE + "&doc=" + doc + "&blank=preview");
    if (!res.ok) throw new Error(await errorText(res));
    const blob = await res.blob();
    if (mine !== blank.previews) return;
    if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
    img.dataset.url = URL.createObjectURL(blob);
    img.src = img.dataset.url;
    await img.decode().catch(() => {});
    if (mine !== blank.previews) return;
    img.dataset.state = "shown";
    img.dataset.shown = String(blank.sent) + "/" + doc;
  } catch (e) {
    if (mine === blank.previews) { img.dataset.state = "error"; blankError(e.message); }
  }
}

function setupBlank() {
  $("bl-field").addEventListener("change", () => { select($("bl-field").value); $("bl-boxes").querySelector("[data-field='" + blank.selected + "']").focus(); });
  for (const k of ["x", "y", "w", "h", "size"]) {
    $("bl-" + k).addEventListener("input", () => {
      const v = Number($("bl-" + k).value);
      const f = blank.profile && field(blank.selected);
      if (!f || $("bl-" + k).value === "" || !Number.isFinite(v)) return;
      f[k] = v;
      changed(f.name);
    });
  }
  for (const [id, key] of [["bl-dx", "dx"], ["bl-dy", "dy"]]) {
    $(id).addEventListener("input", () => {
      const v = Number($(id).value);
      if (!blank.profile || $(id).value === "" || !Number.isFinite(v)) return;
      blank.profile.offset[key] = v;
      changed(null);
    });
  }
  $("bl-align").addEventListener("change", () => { field(blank.selected).align = $("bl-align").value; changed(blank.selected); });
  for (const k of ["bold", "show"]) {
    $("bl-" + k).addEventListener("change", () => { field(blank.selected)[k] = $("bl-" + k).checked; changed(blank.selected); });
  }
  $("bl-doc").addEventListener("change", () => { blankLinks(); blankPreview(); });
  $("bl-use-builtin").addEventListener("click", async () => {
    await flushBlank();
    const res = await fetch("/api/blank-profiles/" + $("bl-builtin").value + ".toml").catch(() => null);
    if (!res || !res.ok) { blankError(res ? await errorText(res) : "Không tải được hồ sơ phôi có sẵn."); return; }
    putBlank(await res.text(), "application/toml");
  });
  $("bl-profile-file").addEventListener("change", async () => {
    const f = $("bl-profile-file").files[0];
    if (!f) return;
    await flushBlank();
    const form = new FormData();
    form.append("profile", f, f.name);
    putBlank(form);
    $("bl-profile-file").value = "";
  });
  $("bl-image-file").addEventListener("change", async () => {
    const f = $("bl-image-file").files[0];
    if (!f) return;
    await flushBlank();
    const form = new FormData();
    form.append("image", f, f.name);
    blankStatus("Đang gửi ảnh phôi…");
    putBlank(form);
    $("bl-image-file").value = "";
  });
  $("bl-remove-image").addEventListener("click", async () => {
    await flushBlank();
    const form = new FormData();
    form.append("image", new Blob([]), "");
    putBlank(form);
  });
  // Every certificate onto the blank: the build of step 4, with its choices made.
  $("bl-print-all").addEventListener("click", () => {
    $("bd-template").value = BLANK_TEMPLATE;
    show("bd-blank-box", true);
    $("bd-blank").checked = true;
    $("bd-print").checked = true;
    $("step-build").scrollIntoView();
    startBuild();
  });
  // A link clicked while an edit is still on its way waits for it, then goes.
  for (const id of ["bl-save", "bl-print", "bl-calibration"]) {
    $(id).addEventListener("click", async (e) => {
      if (!blank.timer && !blank.inflight) return;
      e.preventDefault();
      await flushBlank();
      $(id).click();
    });
  }
}

// ---------------------------------------------------------------- 4. build

function fillBuildChoices() {
  const sel = $("bd-template");
  const keep = sel.value;
  sel.replaceChildren(el("option", { value: "", text: "Tất cả các mẫu dùng được" }),
    ...state.wb.templates.filter((t) => t.fits).map((t) => el("option", { value: t.name, text: t.name + " (" + t.documents + " văn bản)" })));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  show("bd-blank-box", sel.value === BLANK_TEMPLATE);
}

function seconds(s) {
  if (s == null) return "";
  if (s < 60) return "còn khoảng " + Math.max(1, Math.round(s)) + " giây";
  return "còn khoảng " + Math.round(s / 60) + " phút";
}

async function startBuild() {
  say("bd-error", "");
  show("bd-zip", false);
  show("bd-print-file", false);
  $("bd-failures").replaceChildren();
  const t = $("bd-template").value;
  const request = t ? { templates: [t] } : {};
  request.print = $("bd-print").checked;
  state.printing = request.print;
  if (t === BLANK_TEMPLATE && $("bd-blank").checked) {
    await flushBlank();
    request.blank = "print";
  }
  try {
    const { id } = await api("POST", "/api/workbooks/" + state.wb.id + "/builds", request);
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
    $("bd-print-file").href = "/api/builds/" + state.build + "/print";
    show("bd-print-file", state.printing);
  }
}

async function cancelBuild() {
  if (state.build) await api("DELETE", "/api/builds/" + state.build).catch((e) => say("bd-error", e.message));
}

document.addEventListener("DOMContentLoaded", () => {
  setupDrop();
  setupProfile();
  setupBlank();
  $("pv-template").addEventListener("change", fillDocs);
  $("pv-doc").addEventListener("change", () => { $("pv-page").value = "1"; drawPreview(); });
  $("pv-page").addEventListener("change", drawPreview);
  $("bd-start").addEventListener("click", startBuild);
  $("bd-template").addEventListener("change", () => show("bd-blank-box", $("bd-template").value === BLANK_TEMPLATE));
  $("bd-cancel").addEventListener("click", cancelBuild);
});
