// The browser form: renders a compiled XForm (the one ODK Collect downloads), keeps each visit
// with its photos on the device (IndexedDB) and sends it to the OpenRosa submission URL when
// there is a connection. Each visit gets its instanceID on the device, so a resend is stored
// once by the server; a visit leaves the queue only when the server has it (201 or 202), and a
// refusal keeps it queued with the server's reason.
//
// Supported: input (string, int, decimal, date, dateTime, time, geopoint), select1, select
// (inline items, secondary instances, CSV media lists, choice filters), upload of images (in
// repeats too), groups, repeats, notes; binds type/required/relevant/constraint/calculate/
// readonly and the preloads (start, end, today, uid). Expressions run on the browser's XPath
// 1.0 engine, with the XForms functions the forms use rewritten into XPath 1.0 (selected,
// count-selected, if, today, now, int, coalesce, string-length). The secondary instances
// (choice lists, the CSV of places) are kept in the instance document under <xf-lists>, so
// `instance('id')/root/item[...]` is a plain path and its predicates read the primary
// instance as the spec says; `current()` becomes the indexed path of the node the expression
// is about, so relative references inside a repeat (`../x`, `current()/../x`) read the
// sibling of the same repeat instance. `regex()` and `jr:choice-name()` are computed here and
// put back into the expression as literals (in the expression's own context, so not inside
// a predicate over a list). An expression the engine cannot read is not enforced here; the
// server checks every answer again.
(function () {
  "use strict";
  const root = document.getElementById("xform");
  if (!root) return;
  const T = JSON.parse(document.getElementById("xform-texts").textContent);
  const statusBox = document.getElementById("xform-status");
  const body = document.getElementById("xform-body");
  const saveButton = root.querySelector("button[type=submit]");
  const JR = "http://openrosa.org/javarosa";
  const CACHE = "scpvn-offline-v1";
  const LISTS = "xf-lists"; // where the secondary instances sit in the instance document

  // ---- state of the form being filled ----------------------------------------------------
  let xform = null; // the XForm document
  let data = null; // the instance being filled (a namespace-free XML document)
  let blank = null; // a fresh copy of the instance, for the next visit
  const binds = new Map(); // nodeset → bind attributes
  const templates = new Map(); // repeat path → template element
  const secondary = new Map(); // instance id → element (root)
  let files = new Map(); // filename → Blob
  let controls = []; // rendered controls, rebuilt on each render
  let editing = null; // the queued visit reopened for correction, if any
  let itext = new Map();

  function status(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "alert alert-" + (kind || "secondary");
  }

  // ---- the XForm ---------------------------------------------------------------------------
  function local(el) {
    return el.localName;
  }
  function childElements(el) {
    return Array.from(el.children);
  }
  function pathOf(node) {
    const names = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentNode) names.unshift(n.localName);
    return "/" + names.join("/");
  }
  function plain(src, doc) {
    // The instance without namespaces, so that the binds' paths (/data/x) find it.
    const el = doc.createElement(src.localName);
    for (const attr of Array.from(src.attributes)) {
      if (!attr.prefix && attr.name !== "xmlns") el.setAttribute(attr.localName, attr.value);
      if (attr.localName === "template" && attr.namespaceURI === JR) el.setAttribute("jr-template", "");
    }
    for (const child of Array.from(src.childNodes)) {
      if (child.nodeType === 1) el.appendChild(plain(child, doc));
      else if (child.nodeType === 3 && child.nodeValue.trim()) el.appendChild(doc.createTextNode(child.nodeValue.trim()));
    }
    return el;
  }
  function newInstance() {
    const doc = document.implementation.createDocument(null, null, null);
    doc.appendChild(doc.importNode(blank, true));
    return attachLists(doc);
  }
  function attachLists(doc) {
    // instance('id') reads <xf-lists><xf-list id="id"><root>…</root></xf-list></xf-lists>, the
    // last child of the primary instance; it is left out of what is saved and sent.
    const lists = doc.createElement(LISTS);
    for (const [id, inst] of secondary) {
      const list = doc.createElement("xf-list");
      list.setAttribute("id", id);
      if (inst.doc.documentElement) list.appendChild(doc.importNode(inst.doc.documentElement, true));
      lists.appendChild(list);
    }
    doc.documentElement.appendChild(lists);
    return doc;
  }
  function answerNodes(rootEl) {
    // Every element of the primary instance, in document order, without the lists.
    const out = [];
    const walk = (el) => { for (const c of el.children) if (c.localName !== LISTS) { out.push(c); walk(c); } };
    walk(rootEl);
    return out;
  }
  function parseXForm(text) {
    xform = new DOMParser().parseFromString(text, "text/xml");
    if (xform.getElementsByTagName("parsererror").length) throw new Error("XForm");
    const model = xform.getElementsByTagNameNS("*", "model")[0];
    for (const el of childElements(model)) {
      if (local(el) === "instance" && !el.getAttribute("id")) {
        const doc = document.implementation.createDocument(null, null, null);
        doc.appendChild(plain(el.firstElementChild, doc));
        doc.documentElement.querySelectorAll("[jr-template]").forEach((tpl) => {
          tpl.removeAttribute("jr-template");
          templates.set(pathOf(tpl), tpl.cloneNode(true));
          tpl.remove();
        });
        blank = doc.documentElement.cloneNode(true);
      } else if (local(el) === "instance") {
        const doc = document.implementation.createDocument(null, null, null);
        if (el.firstElementChild) doc.appendChild(plain(el.firstElementChild, doc));
        secondary.set(el.getAttribute("id"), { doc, src: el.getAttribute("src") });
      } else if (local(el) === "bind") {
        const get = (name) => el.getAttribute(name) || el.getAttributeNS(JR, name) || "";
        binds.set(el.getAttribute("nodeset"), {
          type: get("type"), required: get("required"), relevant: get("relevant"),
          constraint: get("constraint"), calculate: get("calculate"), readonly: get("readonly"),
          preload: get("preload"), preloadParams: get("preloadParams"),
          constraintMsg: get("constraintMsg"), requiredMsg: get("requiredMsg"),
        });
      } else if (local(el) === "itext") {
        const translation = el.firstElementChild;
        for (const text of translation ? childElements(translation) : []) {
          const value = Array.from(text.children).find((v) => !v.getAttribute("form")) || text.firstElementChild;
          itext.set(text.getAttribute("id"), value ? value.textContent : "");
        }
      }
    }
  }
  async function loadMedia() {
    // CSV lists attached to the form (the places of the officer's scope): rows → items.
    for (const [id, inst] of secondary) {
      const match = /^jr:\/\/file-csv\/(.+)$/.exec(inst.src || "");
      if (!match) continue;
      const url = root.dataset.mediaUrl.replace("FILENAME", encodeURIComponent(match[1]));
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(match[1] + " (HTTP " + response.status + ")");
      const rows = parseCsv(await response.text());
      const header = rows.shift() || [];
      const doc = document.implementation.createDocument(null, "root", null);
      for (const row of rows) {
        const item = doc.createElement("item");
        header.forEach((name, i) => {
          const cell = doc.createElement(name);
          cell.textContent = row[i] || "";
          item.appendChild(cell);
        });
        doc.documentElement.appendChild(item);
      }
      inst.doc = doc;
      inst.url = url;
    }
  }
  function parseCsv(text) {
    const rows = [];
    let row = [], cell = "", quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { row.push(cell); cell = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(cell); rows.push(row); row = []; cell = "";
      } else cell += c;
    }
    if (cell || row.length) { row.push(cell); rows.push(row); }
    return rows.filter((r) => r.length > 1 || r[0]);
  }

  // ---- expressions -------------------------------------------------------------------------
  function splitCall(expr, start) {
    // From the "(" at `start`: the arguments and the index after the matching ")".
    const args = [];
    let depth = 0, quote = null, from = start + 1;
    for (let i = start; i < expr.length; i++) {
      const c = expr[i];
      if (quote) { if (c === quote) quote = null; continue; }
      if (c === "'" || c === '"') quote = c;
      else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) { args.push(expr.slice(from, i)); return [args, i + 1]; }
      else if (c === "," && depth === 1) { args.push(expr.slice(from, i)); from = i + 1; }
    }
    throw new Error("unbalanced");
  }
  const str = (s) => (!s.includes("'") ? "'" + s + "'" : !s.includes('"') ? '"' + s + '"'
    : "concat('" + s.split("'").join("', \"'\", '") + "')");
  const REWRITE = {
    selected: (a) => `contains(concat(' ', normalize-space(${a[0]}), ' '), concat(' ', ${a[1]}, ' '))`,
    "count-selected": (a) =>
      `(string-length(normalize-space(${a[0]})) - string-length(translate(normalize-space(${a[0]}), ' ', '')) + number(normalize-space(${a[0]}) != ''))`,
    if: (a) =>
      `concat(substring(${a[1]}, 1, number(boolean(${a[0]})) * string-length(${a[1]})), substring(${a[2]}, 1, number(not(${a[0]})) * string-length(${a[2]})))`,
    coalesce: (a) =>
      `concat(${a[0]}, substring(${a[1]}, 1, number(string(${a[0]}) = '') * string-length(${a[1]})))`,
    int: (a) => `(floor(${a[0]}))`,
    today: () => str(isoDate(new Date())),
    now: () => str(isoStamp(new Date())),
    "string-length": (a) => `string-length(${a[0] || "."})`,
    // instance('id') returns the root of a secondary instance (what `/root/item` follows).
    instance: (a) => `/*/${LISTS}/xf-list[@id=${a[0]}]`,
    // current(): the node the expression is about, with the index of each repeat instance.
    current: (a, context) => (context ? indexedPath(context) : "."),
    // regex(value, expression): the expression as a JavaScript regular expression.
    regex: (a, context) =>
      new RegExp(evaluate(a[1], context, XPathResult.STRING_TYPE)).test(evaluate(a[0], context, XPathResult.STRING_TYPE))
        ? "true()" : "false()",
    // jr:choice-name(value, 'path'): the label of that value among the choices of the select
    // question at `path` (read from the expression's context, so `../x` inside a repeat).
    "jr:choice-name": (a, context) => {
      const value = evaluate(a[0], context, XPathResult.STRING_TYPE);
      const path = evaluate(a[1], context, XPathResult.STRING_TYPE).trim();
      const node = data.evaluate(rewrite(path, context), context, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
      const control = node && selectControl(pathOf(node));
      const item = control ? items(control, node).find((o) => o.value === value) : null;
      return str(item ? item.label : "");
    },
  };
  function indexedPath(node) {
    const steps = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentNode) {
      let i = 1;
      for (let s = n.previousElementSibling; s; s = s.previousElementSibling) if (s.localName === n.localName) i++;
      steps.unshift(n.localName + "[" + i + "]");
    }
    return "/" + steps.join("/");
  }
  function selectControl(path) {
    // The select or select1 of the body bound to `path`.
    return Array.from(xform.getElementsByTagNameNS("*", "select1")).concat(Array.from(xform.getElementsByTagNameNS("*", "select")))
      .find((el) => el.getAttribute("ref") === path) || null;
  }
  function rewrite(expr, context) {
    let out = "", i = 0;
    const name = /(?:[A-Za-z][\w.-]*:)?[A-Za-z][\w.-]*(?=\s*\()/y;
    while (i < expr.length) {
      const c = expr[i];
      if (c === "'" || c === '"') {
        const end = expr.indexOf(c, i + 1);
        if (end < 0) throw new Error("unclosed string");
        out += expr.slice(i, end + 1); i = end + 1; continue;
      }
      name.lastIndex = i;
      const m = name.exec(expr);
      if (m && (i === 0 || !/[\w/@$.-]/.test(expr[i - 1]))) {
        const open = expr.indexOf("(", i + m[0].length);
        if (REWRITE[m[0]]) {
          const [args, after] = splitCall(expr, open);
          const eager = m[0] === "regex" || m[0] === "jr:choice-name"; // evaluated here, args as written
          out += REWRITE[m[0]](args.map((a) => (eager ? a.trim() : rewrite(a.trim(), context))), context);
          i = after; continue;
        }
      }
      out += c; i++;
    }
    return out;
  }
  function evaluate(expr, context, type) {
    const result = data.evaluate(rewrite(expr, context), context, null, type, null);
    if (type === XPathResult.BOOLEAN_TYPE) return result.booleanValue;
    if (type === XPathResult.NUMBER_TYPE) return result.numberValue;
    return result.stringValue;
  }
  function truth(expr, context, fallback) {
    if (!expr) return fallback;
    if (expr === "true()") return true;
    if (expr === "false()") return false;
    try { return evaluate(expr, context, XPathResult.BOOLEAN_TYPE); } catch (e) { return fallback; }
  }

  // ---- nodes of the instance -------------------------------------------------------------
  function nodesAt(path, from) {
    // Elements at an absolute path (/data/a/b), or below `from` for the part after its path.
    let level = [data.documentElement], names = path.split("/").filter(Boolean);
    if (from) {
      const base = pathOf(from).split("/").filter(Boolean);
      if (names.slice(0, base.length).join("/") === base.join("/")) {
        level = [from]; names = names.slice(base.length);
      } else names = names.slice(1);
    } else names = names.slice(1);
    for (const name of names) level = level.flatMap((n) => childElements(n).filter((c) => c.localName === name));
    return level;
  }
  const bindOf = (node) => binds.get(pathOf(node)) || {};
  const nodeLabel = (el) => {
    const label = childElements(el).find((c) => local(c) === "label");
    if (!label) return "";
    const ref = label.getAttribute("ref") || "";
    const id = /jr:itext\('(.+)'\)/.exec(ref);
    return id ? itext.get(id[1]) || "" : label.textContent.trim();
  };
  const hintOf = (el) => {
    const hint = childElements(el).find((c) => local(c) === "hint");
    return hint ? hint.textContent.trim() : "";
  };

  function items(el, node) {
    // The choices of a select: inline <item>s, or the items its itemset's nodeset selects now
    // (a choice filter is a predicate of that nodeset, read in the context of `node`).
    const itemset = childElements(el).find((c) => local(c) === "itemset");
    if (!itemset) {
      return childElements(el).filter((c) => local(c) === "item").map((item) => ({
        value: childElements(item).find((c) => local(c) === "value").textContent.trim(),
        label: nodeLabel(item),
      }));
    }
    let found;
    try {
      const result = data.evaluate(rewrite(itemset.getAttribute("nodeset").trim(), node), node || data.documentElement,
        null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
      found = Array.from({ length: result.snapshotLength }, (_, i) => result.snapshotItem(i));
    } catch (e) {
      return [];
    }
    const valueRef = childElements(itemset).find((c) => local(c) === "value").getAttribute("ref");
    const labelRef = childElements(itemset).find((c) => local(c) === "label").getAttribute("ref");
    const pick = (item, ref) => {
      const id = /jr:itext\((.+)\)/.exec(ref);
      if (id) {
        const key = childElements(item).find((c) => c.localName === id[1].trim()) ;
        return key ? itext.get(key.textContent) || key.textContent : "";
      }
      const cell = childElements(item).find((c) => c.localName === ref);
      return cell ? cell.textContent : "";
    };
    return found.map((item) => ({ value: pick(item, valueRef), label: pick(item, labelRef) }));
  }

  // ---- rendering -----------------------------------------------------------------------------
  let uid = 0;
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) if (child) el.append(child);
    return el;
  }
  function render() {
    controls = [];
    body.replaceChildren(...renderChildren(xform.getElementsByTagNameNS("*", "body")[0], null));
    refresh();
  }
  function renderChildren(parent, scope) {
    return childElements(parent).flatMap((el) => renderElement(el, scope)).filter(Boolean);
  }
  function renderElement(el, scope) {
    const kind = local(el);
    if (kind === "group") {
      const box = h("fieldset", { class: "border rounded p-2 mb-3" });
      const label = nodeLabel(el);
      if (label) box.append(h("legend", { class: "h6", text: label }));
      box.append(...renderChildren(el, scope));
      const ref = el.getAttribute("ref");
      const node = ref ? nodesAt(ref, scope)[0] : null;
      if (node) controls.push({ kind: "group", wrapper: box, node, bind: bindOf(node) });
      return [box];
    }
    if (kind === "repeat") return [renderRepeat(el, scope)];
    if (["input", "select1", "select", "upload", "trigger"].includes(kind)) return [renderControl(el, scope)];
    return [];
  }
  function renderRepeat(el, scope) {
    const path = el.getAttribute("nodeset");
    const box = h("div", { class: "mb-3" });
    const parentPath = path.slice(0, path.lastIndexOf("/"));
    nodesAt(path, scope).forEach((node, i) => {
      const card = h("div", { class: "card card-body mb-2" });
      const remove = h("button", { type: "button", class: "btn btn-sm btn-outline-danger align-self-end", text: T.remove + " #" + (i + 1) });
      remove.addEventListener("click", () => { node.remove(); render(); });
      card.append(...renderChildren(el, node), remove);
      box.append(card);
    });
    const add = h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", text: T.add });
    add.addEventListener("click", () => {
      const existing = nodesAt(path, scope);
      const parent = existing.length ? existing[0].parentNode : nodesAt(parentPath, scope)[0];
      const fresh = data.importNode(templates.get(path) || existing[0], true);
      if (existing.length) existing[existing.length - 1].after(fresh);
      else parent.appendChild(fresh);
      render();
    });
    box.append(add);
    return box;
  }
  function renderControl(el, scope) {
    const kind = local(el);
    const node = nodesAt(el.getAttribute("ref") || el.getAttribute("bind") || "", scope)[0];
    const id = "xf-" + ++uid;
    const wrapper = h("div", { class: "mb-3" });
    const label = nodeLabel(el);
    if (!node) return null;
    const bind = bindOf(node);
    const readonly = bind.readonly === "true()";
    const control = { kind, el, node, bind, wrapper, wrapperId: id };
    controls.push(control);
    const hint = hintOf(el);
    const feedback = h("div", { class: "invalid-feedback d-block", id: id + "-error" });
    control.feedback = feedback;
    if (kind === "trigger" || (kind === "input" && readonly && !bind.calculate)) {
      wrapper.append(h("p", { class: "mb-1", text: label }));
      return wrapper;
    }
    if (kind === "select1" || kind === "select") {
      // The options are drawn by control.options, again whenever a choice filter changes them.
      const selected = () => node.textContent.split(/\s+/).filter(Boolean);
      if (kind === "select1" && (items(el, node).length > 6 || /minimal/.test(el.getAttribute("appearance") || ""))) {
        const select = h("select", { id, class: "form-select", "aria-describedby": id + "-error" });
        select.addEventListener("change", () => { node.textContent = select.value; refresh(); });
        control.options = (options) => select.replaceChildren(h("option", { value: "", text: T.choose }),
          ...options.map((o) => h("option", { value: o.value, text: o.label, selected: selected().includes(o.value) })));
        wrapper.append(h("label", { class: "form-label", for: id, text: label }), select);
      } else {
        const box = h("fieldset", { "aria-describedby": id + "-error" }, h("legend", { class: "form-label fs-6", text: label }));
        control.options = (options) => {
          box.querySelectorAll(".form-check").forEach((old) => old.remove());
          options.forEach((o, i) => {
            const oid = id + "-" + i;
            const input = h("input", {
              class: "form-check-input", id: oid, name: id, value: o.value,
              type: kind === "select1" ? "radio" : "checkbox", checked: selected().includes(o.value),
            });
            input.addEventListener("change", () => {
              node.textContent = Array.from(box.querySelectorAll("input:checked")).map((x) => x.value).join(" ");
              refresh();
            });
            box.append(h("div", { class: "form-check" }, input, h("label", { class: "form-check-label", for: oid, text: o.label })));
          });
        };
        wrapper.append(box);
      }
      // Only a list with a choice filter (a predicate) changes while the form is filled.
      const itemset = childElements(el).find((c) => local(c) === "itemset");
      control.filtered = Boolean(itemset && itemset.getAttribute("nodeset").includes("["));
      syncOptions(control);
    } else if (kind === "upload") {
      const input = h("input", { id, type: "file", class: "form-control", accept: el.getAttribute("mediatype") || "image/*", "aria-describedby": id + "-error" });
      const preview = h("div", { class: "mt-1" });
      const show = () => {
        preview.replaceChildren();
        const blob = files.get(node.textContent);
        if (blob) {
          preview.append(h("img", { src: URL.createObjectURL(blob), alt: node.textContent, class: "img-thumbnail", style: "max-height: 8rem" }));
        }
      };
      input.addEventListener("change", () => {
        const file = input.files[0];
        if (node.textContent) files.delete(node.textContent);
        if (file) {
          // Unique on the device: two stalls' photos may both be "image.jpg".
          const name = uuid().slice(0, 8) + "-" + file.name.replace(/[^A-Za-z0-9._-]/g, "_");
          files.set(name, file);
          node.textContent = name;
        } else node.textContent = "";
        show(); refresh();
      });
      show();
      wrapper.append(h("label", { class: "form-label", for: id, text: label }), input, preview);
    } else {
      const type = bind.type;
      const attrs = { id, class: "form-control", "aria-describedby": id + "-error", readonly };
      let input;
      if (type === "geopoint") {
        input = h("input", { ...attrs, type: "text", inputmode: "decimal", placeholder: "21.0285 105.8542" });
        const locate = h("button", { type: "button", class: "btn btn-outline-secondary btn-sm mt-1", text: T.locate });
        locate.addEventListener("click", () => {
          if (!navigator.geolocation) { status(T.no_location, "warning"); return; }
          locate.textContent = T.locating;
          navigator.geolocation.getCurrentPosition((pos) => {
            const c = pos.coords;
            input.value = [c.latitude, c.longitude, c.altitude || 0, c.accuracy || 0].join(" ");
            node.textContent = input.value;
            locate.textContent = T.locate;
            refresh();
          }, (err) => { locate.textContent = T.locate; status(T.no_location + err.message, "warning"); },
          { enableHighAccuracy: true, timeout: 30000 });
        });
        input.value = node.textContent;
        input.addEventListener("input", () => { node.textContent = input.value.trim(); refresh(); });
        wrapper.append(h("label", { class: "form-label", for: id, text: label }), input, locate);
      } else {
        const types = { int: "number", decimal: "number", date: "date", dateTime: "datetime-local", time: "time" };
        const multiline = /multiline/.test(el.getAttribute("appearance") || "");
        input = multiline ? h("textarea", attrs) : h("input", { ...attrs, type: types[type] || "text", step: type === "int" ? "1" : type === "decimal" ? "any" : null });
        input.value = node.textContent;
        input.addEventListener("input", () => { node.textContent = input.value.trim(); refresh(false); });
        control.input = input;
        wrapper.append(h("label", { class: "form-label", for: id, text: label }), input);
      }
    }
    if (hint) wrapper.append(h("div", { class: "form-text", text: hint }));
    wrapper.append(feedback);
    return wrapper;
  }

  function syncOptions(c) {
    // Draw a select's options when they changed (a choice filter), dropping a chosen value that
    // is no longer offered; true when the value changed.
    const options = items(c.el, c.node);
    const key = JSON.stringify(options);
    if (key === c.drawn) return false;
    c.drawn = key;
    const offered = new Set(options.map((o) => o.value));
    const kept = c.node.textContent.split(/\s+/).filter((v) => offered.has(v)).join(" ");
    const changed = kept !== c.node.textContent;
    if (changed) c.node.textContent = kept;
    c.options(options);
    return changed;
  }
  function relevant(node) {
    for (let n = node; n && n.nodeType === 1; n = n.parentNode) {
      if (!truth(bindOf(n).relevant, n, true)) return false;
    }
    return true;
  }
  function calculate() {
    for (const [path, bind] of binds) {
      if (!bind.calculate) continue;
      for (const node of nodesAt(path)) {
        let value;
        try { value = evaluate(bind.calculate, node, XPathResult.STRING_TYPE); } catch (e) { continue; }
        node.textContent = value === "NaN" || value === "Infinity" ? "" : value;
      }
    }
  }
  function refresh() {
    calculate();
    let dropped = false;
    for (const c of controls) if (c.filtered && syncOptions(c)) dropped = true;
    if (dropped) calculate();
    for (const c of controls) {
      c.wrapper.hidden = !relevant(c.node);
      if (c.input && c.bind.calculate && document.activeElement !== c.input) c.input.value = c.node.textContent;
    }
  }
  function check(c) {
    const value = c.node.textContent.trim();
    if (c.kind === "group" || c.wrapper.hidden || !relevant(c.node)) return "";
    if (!value) return truth(c.bind.required, c.node, false) ? c.bind.requiredMsg || T.required : "";
    if (c.bind.type === "int" && !/^-?\d+$/.test(value)) return T.integer;
    if (c.bind.type === "decimal" && !isFinite(Number(value))) return T.number;
    if (!truth(c.bind.constraint, c.node, true)) return c.bind.constraintMsg || T.invalid;
    return "";
  }

  // ---- finishing a visit -------------------------------------------------------------------
  const pad = (n) => String(n).padStart(2, "0");
  function isoDate(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function isoStamp(d) {
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    return isoDate(d) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      "." + String(d.getMilliseconds()).padStart(3, "0") + sign + pad(Math.floor(Math.abs(offset) / 60)) + ":" + pad(Math.abs(offset) % 60);
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const x = Array.from(b, (v) => v.toString(16).padStart(2, "0")).join("");
    return x.slice(0, 8) + "-" + x.slice(8, 12) + "-" + x.slice(12, 16) + "-" + x.slice(16, 20) + "-" + x.slice(20);
  }
  function preload(when) {
    for (const [path, bind] of binds) {
      for (const node of nodesAt(path)) {
        const p = bind.preloadParams;
        if (when === "open" && bind.preload === "timestamp" && p === "start") node.textContent = isoStamp(new Date());
        if (when === "open" && bind.preload === "date" && p === "today") node.textContent = isoDate(new Date());
        if (when === "close" && bind.preload === "timestamp" && p === "end") node.textContent = isoStamp(new Date());
        if (when === "close" && bind.preload === "uid" && !node.textContent) node.textContent = "uuid:" + uuid();
      }
    }
  }
  function startVisit() {
    data = newInstance();
    files = new Map();
    editing = null;
    preload("open");
    render();
  }
  function summary() {
    // A line to recognise the visit in the queue: the first chosen place or answer.
    for (const c of controls) {
      if ((c.kind === "select1") && c.node.textContent) {
        const item = items(c.el, c.node).find((o) => o.value === c.node.textContent);
        if (item) return item.label;
      }
    }
    return "";
  }

  async function save(event) {
    event.preventDefault();
    let first = null;
    for (const c of controls) {
      const problem = check(c);
      if (c.feedback) c.feedback.textContent = problem;
      const field = c.wrapper.querySelector("input, select, textarea, fieldset");
      if (field) field.classList.toggle("is-invalid", Boolean(problem));
      if (problem && !first) first = field;
    }
    if (first) { status(T.fix_errors, "danger"); first.focus(); return; }
    preload("close");
    const out = data.documentElement.cloneNode(true);
    const live = answerNodes(data.documentElement);
    const copies = answerNodes(out);
    Array.from(out.children).filter((c) => c.localName === LISTS).forEach((c) => c.remove());
    const photos = [];
    live.forEach((node, i) => {
      if (!relevant(node)) { copies[i].textContent = ""; return; }
      if (bindOf(node).type === "binary" && node.textContent && files.has(node.textContent)) {
        photos.push({ name: node.textContent, blob: files.get(node.textContent) });
      }
    });
    const xml = '<?xml version="1.0"?>' + new XMLSerializer().serializeToString(out);
    const instanceID = nodesAt(pathOf(data.documentElement) + "/meta/instanceID")[0].textContent;
    await queue.put({
      id: instanceID, xml, files: photos, title: root.dataset.formTitle,
      label: summary(), created: Date.now(), state: "pending", reason: "",
      formUrl: root.dataset.formUrl,
    });
    startVisit();
    status(T.saved, "success");
    window.scrollTo(0, 0);
    await showQueue();
    sync();
  }

  // ---- the queue on the device -------------------------------------------------------------
  const queue = {
    db: null,
    open() {
      if (this.db) return this.db;
      this.db = new Promise((resolve, reject) => {
        const request = indexedDB.open("scpvn-offline", 1);
        request.onupgradeneeded = () => request.result.createObjectStore("queue", { keyPath: "id" });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return this.db;
    },
    async run(mode, work) {
      const db = await this.open();
      return new Promise((resolve, reject) => {
        const tx = db.transaction("queue", mode);
        const request = work(tx.objectStore("queue"));
        tx.oncomplete = () => resolve(request && request.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    },
    put(record) { return this.run("readwrite", (s) => s.put(record)); },
    remove(id) { return this.run("readwrite", (s) => s.delete(id)); },
    all() { return this.run("readonly", (s) => s.getAll()); },
  };

  async function showQueue() {
    const records = (await queue.all()).sort((a, b) => a.created - b.created);
    const list = document.getElementById("queue-list");
    document.getElementById("queue-summary").textContent = records.length ? T.queue_count + records.length : T.queue_empty;
    list.replaceChildren(...records.map((r) => {
      const when = new Date(r.created).toLocaleString("vi-VN");
      const state = r.state === "refused" ? T.refused + r.reason : T.pending;
      const li = h("li", { class: "border-bottom py-1", "data-instance": r.id },
        h("span", { text: [r.title, r.label, when, r.files.length + " " + T.photo].filter(Boolean).join(" · ") + " — " }),
        h("span", { class: r.state === "refused" ? "text-danger" : "text-muted", text: state }));
      if (r.state === "refused") {
        const retry = h("button", { type: "button", class: "btn btn-link btn-sm", text: T.retry });
        retry.addEventListener("click", async () => { r.state = "pending"; await queue.put(r); sync(); });
        li.append(" ", retry);
        if (r.formUrl === root.dataset.formUrl) {
          const edit = h("button", { type: "button", class: "btn btn-link btn-sm", text: T.edit });
          edit.addEventListener("click", () => reopen(r));
          li.append(edit);
        }
      }
      return li;
    }));
  }
  function reopen(record) {
    // The refused visit back in the form, with the same instanceID (the server stored
    // nothing of it) and its photos, to be corrected and saved again over the queued one.
    const doc = new DOMParser().parseFromString(record.xml, "text/xml");
    data = document.implementation.createDocument(null, null, null);
    data.appendChild(data.importNode(doc.documentElement, true));
    attachLists(data);
    files = new Map(record.files.map((f) => [f.name, f.blob]));
    editing = record.id;
    render();
    window.scrollTo(0, 0);
  }

  function csrfToken() {
    const m = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function reasonOf(text, code) {
    const doc = new DOMParser().parseFromString(text, "text/xml");
    const message = doc.getElementsByTagNameNS("*", "message")[0];
    return (message ? message.textContent : "") || "HTTP " + code;
  }
  let syncing = false;
  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      const run = () => sendAll();
      if (navigator.locks) await navigator.locks.request("scpvn-offline-sync", run);
      else await run();
    } finally {
      syncing = false;
      await showQueue();
    }
  }
  async function sendAll() {
    for (const record of (await queue.all()).sort((a, b) => a.created - b.created)) {
      if (record.state !== "pending" || record.id === editing) continue;
      const form = new FormData();
      form.append("xml_submission_file", new Blob([record.xml], { type: "text/xml" }), "submission.xml");
      for (const f of record.files) form.append(f.name, f.blob, f.name);
      let response;
      try {
        status(T.sending, "info");
        response = await fetch(root.dataset.submissionUrl, {
          method: "POST", body: form, credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), "X-OpenRosa-Version": "1.0", "X-Requested-With": "fetch" },
        });
      } catch (e) {
        status(T.offline, "warning");
        return; // no connection: everything stays queued
      }
      if (response.status === 201 || response.status === 202) {
        await queue.remove(record.id);
        status(T.sent + (record.label || record.id), "success");
      } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        record.state = "refused";
        record.reason = reasonOf(await response.text(), response.status);
        await queue.put(record);
        status(T.refused + record.reason, "danger");
      } else {
        status(T.server_busy, "warning");
        return;
      }
    }
  }

  // ---- offline: the service worker and the cache ---------------------------------------
  async function keepOffline(urls) {
    if (!("serviceWorker" in navigator) || !window.caches) { status(T.not_offline, "warning"); return; }
    const swUrl = root.dataset.swUrl;
    await navigator.serviceWorker.register(swUrl, { scope: swUrl.slice(0, swUrl.lastIndexOf("/") + 1) });
    await navigator.serviceWorker.ready;
    const cache = await caches.open(CACHE);
    const assets = [location.href, ...urls,
      ...Array.from(document.scripts, (s) => s.src).filter(Boolean),
      ...Array.from(document.querySelectorAll("link[rel=stylesheet]"), (l) => l.href)];
    await Promise.all(assets.map(async (url) => {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) await cache.put(url, response);
    }));
    root.dataset.offlineReady = "true";
  }

  async function start() {
    try {
      const response = await fetch(root.dataset.formUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      parseXForm(await response.text());
      await loadMedia();
    } catch (e) {
      status(T.load_failed + e.message, "danger");
      await showQueue();
      return;
    }
    startVisit();
    saveButton.hidden = false;
    root.addEventListener("submit", save);
    document.getElementById("queue-send").addEventListener("click", async () => {
      for (const r of await queue.all()) if (r.state === "refused") { r.state = "pending"; await queue.put(r); }
      sync();
    });
    window.addEventListener("online", () => { status(T.online, "info"); sync(); });
    window.addEventListener("offline", () => status(T.offline, "warning"));
    setInterval(() => { if (navigator.onLine) sync(); }, 30000);
    await showQueue();
    const media = Array.from(secondary.values(), (i) => i.url).filter(Boolean);
    try {
      await keepOffline([root.dataset.formUrl, ...media]);
      status(navigator.onLine ? T.ready : T.offline, navigator.onLine ? "secondary" : "warning");
    } catch (e) {
      status(navigator.onLine ? T.not_offline : T.offline, "warning");
    }
    if (navigator.onLine) sync();
  }
  start();
})();
