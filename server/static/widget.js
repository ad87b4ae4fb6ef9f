/*
 * crossfoot chat widget: question answering over company filings, every figure cited.
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget.js" data-api="https://HOST" data-key="PUBLISHABLE_KEY"
 *           data-doc="optional-doc-id"></script>
 *
 * Everything lives in an open shadow root on <div id="crossfoot-widget">: the host page's CSS
 * cannot style the widget and the widget's CSS cannot leak out. Untrusted text (questions,
 * answers, citations, document text, error messages) is only ever set with textContent.
 * The only global is window.crossfoot = {open(), close(), ask(text)}.
 */
(() => {
  "use strict";

  const HOST_ID = "crossfoot-widget";
  const MAX_QUESTION_CHARS = 2000;
  const SCALES = { thousands: 1e3, thousand: 1e3, millions: 1e6, million: 1e6, billions: 1e9, billion: 1e9 };

  // ---- configuration (read synchronously: currentScript is only set while this runs) ----------

  const script =
    document.currentScript ||
    Array.from(document.querySelectorAll('script[src*="widget.js"]')).pop() ||
    null;

  function readConfig(el) {
    const attr = (name) => ((el && el.getAttribute(name)) || "").trim();
    let api = attr("data-api");
    if (!api) {
      try {
        api = new URL(el.src, document.baseURI).origin;
      } catch (_) {
        api = window.location.origin;
      }
    }
    api = api.replace(/\/+$/, "");
    let key = attr("data-key");
    // An unreplaced server placeholder such as __CROSSFOOT_DEMO_KEY__ is not a key.
    if (/^__[A-Z0-9_]+__$/.test(key)) key = "";
    return { api, key, doc: attr("data-doc") || null };
  }

  const config = readConfig(script);

  // ---- small DOM helpers (text only, never HTML) ----------------------------------------------

  function h(tag, props, children) {
    const el = document.createElement(tag);
    if (props) {
      for (const [name, value] of Object.entries(props)) {
        if (value === null || value === undefined || value === false) continue;
        if (name === "class") el.className = value;
        else if (name === "text") el.textContent = String(value);
        else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
        else if (value === true) el.setAttribute(name, "");
        else el.setAttribute(name, String(value));
      }
    }
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  function svg(pathD, size) {
    const NS = "http://www.w3.org/2000/svg";
    const s = document.createElementNS(NS, "svg");
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("width", String(size));
    s.setAttribute("height", String(size));
    s.setAttribute("aria-hidden", "true");
    s.setAttribute("focusable", "false");
    const p = document.createElementNS(NS, "path");
    p.setAttribute("d", pathD);
    p.setAttribute("fill", "none");
    p.setAttribute("stroke", "currentColor");
    p.setAttribute("stroke-width", "2");
    p.setAttribute("stroke-linecap", "round");
    p.setAttribute("stroke-linejoin", "round");
    s.append(p);
    return s;
  }

  let idCounter = 0;
  const uid = (prefix) => `${prefix}-${++idCounter}`;

  const str = (v) => (v === null || v === undefined ? "" : String(v));

  // ---- styles (static string, no data) --------------------------------------------------------

  const STYLE = `
:host { all: initial !important; }
.cf-root, .cf-root *, .cf-root *::before, .cf-root *::after { box-sizing: border-box; }
.cf-root {
  --cf-accent: #1d4f91; --cf-accent-dark: #163d70; --cf-text: #1b1f24; --cf-muted: #4f5661;
  --cf-border: #d5d9e0; --cf-bg: #ffffff; --cf-soft: #f3f5f8; --cf-focus: #1a73e8;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14.5px; line-height: 1.45; color: var(--cf-text); font-weight: 400; font-style: normal;
  letter-spacing: normal; text-align: left; text-transform: none; direction: ltr;
  -webkit-font-smoothing: antialiased;
}
.cf-root button, .cf-root textarea { font: inherit; color: inherit; margin: 0; }
.cf-root button { cursor: pointer; }
.cf-root :focus { outline: none; }
.cf-root :focus-visible { outline: 2px solid var(--cf-focus); outline-offset: 2px; }
.cf-root textarea:focus-visible { outline-offset: 0; }
.cf-sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.cf-launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 56px; height: 56px; border-radius: 50%; border: none; padding: 0;
  display: flex; align-items: center; justify-content: center;
  background: var(--cf-accent); color: #fff;
  box-shadow: 0 6px 18px rgba(15, 30, 60, 0.28); transition: background 0.15s, transform 0.15s;
}
.cf-launcher:hover { background: var(--cf-accent-dark); transform: translateY(-1px); }
.cf-launcher:focus-visible { outline: 3px solid var(--cf-focus); outline-offset: 3px; }
.cf-launcher .cf-icon-close { display: none; }
.cf-launcher[aria-expanded="true"] .cf-icon-open { display: none; }
.cf-launcher[aria-expanded="true"] .cf-icon-close { display: block; }
.cf-panel {
  position: fixed; right: 20px; bottom: 88px; z-index: 2147483001;
  width: 380px; height: 600px; max-width: calc(100vw - 40px); max-height: calc(100vh - 108px);
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--cf-bg); border: 1px solid var(--cf-border); border-radius: 14px;
  box-shadow: 0 12px 40px rgba(15, 30, 60, 0.22);
}
.cf-panel[hidden] { display: none; }
.cf-header {
  display: flex; align-items: center; gap: 8px; padding: 10px 10px 10px 16px;
  background: var(--cf-accent); color: #fff; flex: none;
}
.cf-title { margin: 0; font-size: 16px; font-weight: 650; letter-spacing: 0.01em; flex: 1; color: #fff; }
.cf-subtitle { font-weight: 400; font-size: 12.5px; opacity: 0.9; margin-left: 6px; }
.cf-header button {
  background: transparent; color: #fff; border: 1px solid rgba(255, 255, 255, 0.55);
  border-radius: 6px; padding: 3px 8px; font-size: 12.5px; line-height: 1.3;
}
.cf-header button:hover { background: rgba(255, 255, 255, 0.14); }
.cf-header button:focus-visible { outline: 2px solid #fff; outline-offset: 1px; }
.cf-header .cf-close { border-color: transparent; padding: 2px; display: flex; }
.cf-log {
  flex: 1; overflow-y: auto; padding: 14px 14px 8px; background: var(--cf-bg);
  display: flex; flex-direction: column; gap: 14px; overscroll-behavior: contain;
}
.cf-empty { color: var(--cf-muted); font-size: 13.5px; margin: 0; padding: 4px 2px; }
.cf-turn { display: flex; flex-direction: column; gap: 8px; }
.cf-user {
  align-self: flex-end; max-width: 85%; background: var(--cf-accent); color: #fff;
  padding: 8px 12px; border-radius: 14px 14px 4px 14px; white-space: pre-wrap; overflow-wrap: anywhere;
}
.cf-bot {
  align-self: stretch; background: var(--cf-soft); border: 1px solid #e3e7ed;
  padding: 10px 12px; border-radius: 4px 14px 14px 14px; overflow-wrap: anywhere; min-width: 0;
}
.cf-bot > * + * { margin-top: 8px; }
.cf-status { color: var(--cf-muted); font-size: 13.5px; display: flex; align-items: center; gap: 8px; }
.cf-status::before {
  content: ""; width: 12px; height: 12px; border-radius: 50%; flex: none;
  border: 2px solid #b9c3d3; border-top-color: var(--cf-accent); animation: cf-spin 0.8s linear infinite;
}
@keyframes cf-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .cf-status::before { animation: none; } .cf-launcher { transition: none; } }
.cf-figure {
  font-size: 26px; font-weight: 700; line-height: 1.15; color: #10325f;
  font-variant-numeric: tabular-nums; letter-spacing: -0.01em;
}
.cf-bot > .cf-figure + .cf-confidence { margin-top: 2px; }
.cf-confidence { margin: 0; font-size: 12px; line-height: 1.3; color: var(--cf-muted); font-variant-numeric: tabular-nums; }
.cf-answer { margin: 0; white-space: pre-wrap; }
.cf-streaming::after { content: "\\258D"; color: var(--cf-accent); margin-left: 1px; }
.cf-not-found, .cf-clarify {
  color: #3b4250; background: #fff; border: 1px solid var(--cf-border); border-left: 4px solid #8a94a6;
  border-radius: 6px; padding: 8px 10px;
}
.cf-clarify { border-left-color: #b7791f; }
.cf-note-label { display: block; font-size: 12px; font-weight: 650; text-transform: uppercase;
  letter-spacing: 0.04em; color: var(--cf-muted); margin-bottom: 2px; }
.cf-error {
  color: #8a1c1c; background: #fdf0f0; border: 1px solid #f1c4c4; border-radius: 6px;
  padding: 8px 10px; white-space: pre-wrap; margin: 0;
}
.cf-citations { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.cf-citations li { margin: 0; padding: 0; min-width: 0; }
.cf-citation {
  display: block; width: 100%; text-align: left; background: #fff; color: var(--cf-text);
  border: 1px solid var(--cf-border); border-radius: 6px; padding: 6px 8px;
  font-size: 12.5px; line-height: 1.35; overflow-wrap: anywhere;
}
.cf-citation:hover { border-color: var(--cf-accent); background: #f7f9fd; }
.cf-citation[aria-expanded="true"] { border-color: var(--cf-accent); background: #eef3fb; }
.cf-cite-num { font-weight: 700; color: var(--cf-accent); }
.cf-source {
  margin-top: 4px; border: 1px solid var(--cf-border); border-radius: 6px; background: #fff;
  overflow: hidden;
}
.cf-source[hidden] { display: none; }
.cf-source-meta { font-size: 12px; color: var(--cf-muted); padding: 5px 8px; border-bottom: 1px solid #e8ebf0; background: #fafbfc; }
.cf-source-msg { font-size: 12.5px; color: var(--cf-muted); padding: 6px 8px; margin: 0; }
.cf-source .cf-error { margin: 6px; }
.cf-source pre {
  position: relative; margin: 0; padding: 8px; max-height: 220px; overflow: auto;
  white-space: pre; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12px; line-height: 1.45; color: #1b1f24; background: #fff; tab-size: 4;
}
.cf-source mark { background: #ffe066; color: #111; border-radius: 2px; box-shadow: 0 0 0 2px #ffe066; }
.cf-show-calc {
  background: transparent; border: none; padding: 2px 0; color: var(--cf-accent);
  font-size: 13px; font-weight: 600; text-decoration: underline; text-underline-offset: 2px;
}
.cf-show-calc:hover { color: var(--cf-accent-dark); }
.cf-calc { background: #fff; border: 1px solid var(--cf-border); border-radius: 6px; padding: 8px 10px; font-size: 13px; }
.cf-calc[hidden] { display: none; }
.cf-calc code {
  display: block; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12px; background: var(--cf-soft); padding: 6px 8px; border-radius: 4px;
  white-space: pre-wrap; overflow-wrap: anywhere; color: #1b1f24;
}
.cf-operands { margin: 8px 0 0; padding: 0 0 0 18px; }
.cf-operands li { margin: 3px 0; }
.cf-operand-value { font-weight: 650; font-variant-numeric: tabular-nums; }
.cf-operand-source { color: var(--cf-muted); }
.cf-result { margin-top: 8px; }
.cf-result strong { font-size: 15px; }
.cf-form {
  flex: none; display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px 12px;
  border-top: 1px solid var(--cf-border); background: var(--cf-bg);
}
.cf-input {
  flex: 1; min-width: 0; resize: none; border: 1px solid #aeb6c2; border-radius: 8px;
  padding: 8px 10px; min-height: 38px; max-height: 120px; line-height: 1.4; background: #fff;
  color: var(--cf-text);
}
.cf-input::placeholder { color: #6b7380; }
.cf-input:focus-visible { border-color: var(--cf-focus); outline: 2px solid var(--cf-focus); outline-offset: -1px; }
.cf-send {
  flex: none; height: 38px; padding: 0 16px; border: none; border-radius: 8px;
  background: var(--cf-accent); color: #fff; font-weight: 600;
}
.cf-send:hover:not(:disabled) { background: var(--cf-accent-dark); }
.cf-send:disabled { background: #8e9aae; cursor: not-allowed; }
@media (max-width: 479.98px) {
  .cf-panel {
    top: 0; left: 0; right: 0; bottom: 0; width: 100%; height: 100%; height: 100dvh;
    max-width: none; max-height: none; border-radius: 0; border: none;
  }
  .cf-input { font-size: 16px; }
  .cf-launcher { right: 16px; bottom: 16px; }
}
`;

  // ---- number helpers for the calculation view ------------------------------------------------

  function formatNumberString(s) {
    const m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
    if (!m) return s;
    return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (m[3] || "");
  }

  // Numeric literals in a program, skipping digits inside identifiers such as #0 or const_100.
  function programOperands(program) {
    const out = [];
    const seen = new Set();
    // (No lookbehind: older Safari cannot parse it, and a syntax error would sink the widget.)
    const re = /(^|[^\w#.])(-?\d+(?:\.\d+)?)(?![\w.])/g;
    let m;
    while ((m = re.exec(program)) !== null) {
      if (seen.has(m[2])) continue;
      seen.add(m[2]);
      out.push(m[2]);
    }
    return out;
  }

  function citationNumber(c) {
    const digits = str(c.as_printed).replace(/[^0-9.]/g, "");
    if (!digits || !/\d/.test(digits)) return null;
    const n = parseFloat(digits);
    return Number.isFinite(n) ? n : null;
  }

  function sameNumber(a, b) {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }

  function citationForOperand(operand, citations) {
    const x = Math.abs(parseFloat(operand));
    if (!Number.isFinite(x)) return -1;
    const scaled = citations.findIndex((c) => {
      const n = citationNumber(c);
      const mult = SCALES[str(c.scale).toLowerCase()] || 1;
      return n !== null && sameNumber(n * mult, x);
    });
    if (scaled >= 0) return scaled;
    return citations.findIndex((c) => {
      const n = citationNumber(c);
      return n !== null && sameNumber(n, x);
    });
  }

  // ---- confidence ----------------------------------------------------------------------------

  const CONFIDENCE_MEANING = "how sure crossfoot is that these are the figures you asked for";

  // 0..1 -> a whole percentage, or null when it is not a number (null, a string, NaN).
  function confidencePercent(value) {
    if (typeof value !== "number" || !Number.isFinite(value)) return null;
    return Math.round(Math.min(1, Math.max(0, value)) * 100);
  }

  // ---- SSE over fetch ------------------------------------------------------------------------

  function parseSseBlock(block) {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (!data.length) return null;
    let parsed;
    try {
      parsed = JSON.parse(data.join("\n"));
    } catch (_) {
      parsed = null;
    }
    return { event, data: parsed };
  }

  // Calls onEvent(name, data) per event; onEvent returns true to stop reading.
  async function readSse(body, onEvent) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const drain = (final) => {
      buffer = buffer.replace(/\r\n?/g, "\n");
      let idx;
      while ((idx = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        const ev = parseSseBlock(block);
        if (ev && onEvent(ev.event, ev.data)) return true;
      }
      if (final && buffer.trim()) {
        const ev = parseSseBlock(buffer);
        buffer = "";
        if (ev && onEvent(ev.event, ev.data)) return true;
      }
      return false;
    };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          buffer += decoder.decode();
          drain(true);
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        if (drain(false)) {
          reader.cancel().catch(() => {});
          return;
        }
      }
    } finally {
      try {
        reader.releaseLock();
      } catch (_) {
        /* already released */
      }
    }
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  function headers(withBody) {
    const out = { Accept: "application/json" };
    if (withBody) out["Content-Type"] = "application/json";
    if (config.key) out.Authorization = `Bearer ${config.key}`;
    return out;
  }

  const DEFAULT_ERRORS = {
    400: "The request was not valid.",
    401: "This widget's key was not accepted.",
    403: "This site is not allowed to use crossfoot with this key.",
    404: "Not found.",
    413: "That question is too long. Please shorten it.",
    422: "The question could not be processed.",
    429: "Too many questions right now.",
    500: "The crossfoot service had a problem answering.",
    503: "The crossfoot service is not available right now.",
  };

  function retryAfterSeconds(res) {
    const raw = res.headers.get("Retry-After");
    if (!raw) return null;
    if (/^\s*\d+\s*$/.test(raw)) return parseInt(raw, 10);
    const when = Date.parse(raw);
    if (Number.isNaN(when)) return null;
    return Math.max(1, Math.ceil((when - Date.now()) / 1000));
  }

  async function errorMessage(res) {
    let message = "";
    try {
      const body = await res.json();
      if (body && body.error && body.error.message) message = str(body.error.message);
      else if (body && typeof body.detail === "string") message = body.detail;
    } catch (_) {
      /* not JSON */
    }
    if (!message) message = DEFAULT_ERRORS[res.status] || `The crossfoot service returned an error (HTTP ${res.status}).`;
    if (res.status === 429) {
      const secs = retryAfterSeconds(res);
      message +=
        secs !== null
          ? ` Please wait ${secs} second${secs === 1 ? "" : "s"} and try again.`
          : " Please wait a moment and try again.";
    }
    return message;
  }

  const NETWORK_ERROR = "Could not reach the crossfoot service. Check your connection and try again.";

  // ---- the widget ----------------------------------------------------------------------------

  function mount() {
    if (document.getElementById(HOST_ID)) return; // embedded twice: keep the first
    const host = document.createElement("div");
    host.id = HOST_ID;
    const shadow = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;

    const state = { conversationId: null, busy: false, controller: null, open: false };

    // launcher
    const launcher = h(
      "button",
      {
        type: "button",
        class: "cf-launcher",
        "aria-label": "Ask crossfoot",
        "aria-expanded": "false",
        "aria-controls": "cf-panel",
        title: "Ask crossfoot",
      },
      []
    );
    const iconOpen = svg("M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z", 26);
    iconOpen.classList.add("cf-icon-open");
    const iconClose = svg("M6 6l12 12M18 6L6 18", 24);
    iconClose.classList.add("cf-icon-close");
    launcher.append(iconOpen, iconClose);

    // panel
    const closeBtn = h("button", { type: "button", class: "cf-close", "aria-label": "Close", title: "Close" }, [
      svg("M6 6l12 12M18 6L6 18", 18),
    ]);
    const newBtn = h("button", { type: "button", class: "cf-new", title: "Start a new conversation" }, [
      "New conversation",
    ]);
    const header = h("div", { class: "cf-header" }, [
      h("h2", { class: "cf-title" }, ["crossfoot", h("span", { class: "cf-subtitle", text: "cited answers" })]),
      newBtn,
      closeBtn,
    ]);
    const log = h("div", { class: "cf-log", role: "log", "aria-live": "polite", "aria-busy": "false" });
    const input = h("textarea", {
      id: "cf-input",
      class: "cf-input",
      rows: "1",
      maxlength: String(MAX_QUESTION_CHARS),
      placeholder: "Ask about the filings…",
      autocomplete: "off",
    });
    const sendBtn = h("button", { type: "submit", class: "cf-send" }, ["Ask"]);
    const form = h("form", { class: "cf-form", novalidate: true }, [
      h("label", { for: "cf-input", class: "cf-sr-only", text: "Your question" }),
      input,
      sendBtn,
    ]);
    const panel = h("div", { id: "cf-panel", class: "cf-panel", role: "dialog", "aria-label": "crossfoot chat", hidden: true }, [
      header,
      log,
      form,
    ]);
    const root = h("div", { class: "cf-root" }, [panel, launcher]);
    shadow.append(style, root);

    // ---- open / close ----

    function openPanel() {
      if (!state.open) {
        state.open = true;
        panel.hidden = false;
        launcher.setAttribute("aria-expanded", "true");
        if (!log.childElementCount) showEmpty();
      }
      input.focus();
    }

    function closePanel(returnFocus) {
      if (!state.open) return;
      state.open = false;
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      if (returnFocus !== false) launcher.focus();
    }

    launcher.addEventListener("click", () => (state.open ? closePanel() : openPanel()));
    closeBtn.addEventListener("click", () => closePanel());
    root.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && state.open) {
        e.preventDefault();
        e.stopPropagation();
        closePanel();
      }
    });

    // ---- log helpers ----

    function showEmpty() {
      log.append(
        h("p", {
          class: "cf-empty",
          text: "Ask a question about the filings. Every figure in the answer links to the line it came from.",
        })
      );
    }

    function nearBottom() {
      return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    }

    function scrollToBottom() {
      log.scrollTop = log.scrollHeight;
    }

    // Scroll `el` into view inside the scroll container `box` without touching the host page.
    function scrollWithin(box, el, center) {
      const b = box.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      if (center) {
        // Vertically centre the mark; horizontally keep the line's start (a table row's label)
        // in view unless the mark would be cut off on the right.
        box.scrollTop += r.top - b.top - (box.clientHeight - r.height) / 2;
        const left = r.left - b.left + box.scrollLeft;
        const right = left + r.width;
        box.scrollLeft = right <= box.clientWidth - 16 ? 0 : Math.max(0, Math.min(right - box.clientWidth + 48, left - 16));
        return;
      }
      if (r.bottom > b.bottom) box.scrollTop += Math.min(r.bottom - b.bottom + 8, r.top - b.top - 8);
      else if (r.top < b.top) box.scrollTop -= b.top - r.top + 8;
    }

    function setBusy(busy) {
      state.busy = busy;
      sendBtn.disabled = busy;
      log.setAttribute("aria-busy", busy ? "true" : "false");
    }

    function resetConversation() {
      if (state.controller) state.controller.abort();
      state.controller = null;
      state.conversationId = null;
      setBusy(false);
      log.replaceChildren();
      showEmpty();
      input.focus();
    }
    newBtn.addEventListener("click", resetConversation);

    // ---- rendering ----

    function citationLabel(c, n) {
      const parts = [c.document || c.doc_id];
      if (c.page !== null && c.page !== undefined && c.page !== "") parts.push(`p. ${c.page}`);
      parts.push(c.table, c.row, c.column);
      let figure = str(c.as_printed);
      if (figure && c.scale) figure += ` (${c.scale})`;
      parts.push(figure);
      return `[${n}] ` + parts.map(str).filter((p) => p.trim()).join(" · ");
    }

    function sourceUrl(c) {
      const q = new URLSearchParams({ start: String(c.char_start), end: String(c.char_end) });
      return `${config.api}/v1/documents/${encodeURIComponent(str(c.doc_id))}/source?${q}`;
    }

    function renderSource(region, data, c) {
      const text = str(data && data.text);
      const offset = Number.isFinite(Number(data && data.offset)) ? Number(data.offset) : 0;
      const start = Number(data && data.start !== undefined && data.start !== null ? data.start : c.char_start);
      const end = Number(data && data.end !== undefined && data.end !== null ? data.end : c.char_end);
      const metaParts = [str((data && data.document) || c.document || c.doc_id)];
      const page = data && data.page !== undefined && data.page !== null ? data.page : c.page;
      if (page !== null && page !== undefined && page !== "") metaParts.push(`page ${page}`);
      if (Number.isFinite(start) && Number.isFinite(end)) metaParts.push(`characters ${start}–${end}`);
      const pre = h("pre", { tabindex: "0", "aria-label": "Source text" });
      let mark = null;
      if (Number.isFinite(start) && Number.isFinite(end)) {
        const s = Math.max(0, Math.min(text.length, start - offset));
        const e = Math.max(s, Math.min(text.length, end - offset));
        if (e > s) {
          mark = h("mark", { text: text.slice(s, e) });
          pre.append(document.createTextNode(text.slice(0, s)), mark, document.createTextNode(text.slice(e)));
        }
      }
      if (!mark) pre.textContent = text;
      region.replaceChildren(h("div", { class: "cf-source-meta", text: metaParts.filter(Boolean).join(" · ") }), pre);
      if (!text) region.append(h("p", { class: "cf-source-msg", text: "No text was returned for this citation." }));
      requestAnimationFrame(() => {
        if (mark) scrollWithin(pre, mark, true);
        scrollWithin(log, region, false);
      });
    }

    function citationItem(c, n) {
      const regionId = uid("cf-source");
      const btn = h("button", {
        type: "button",
        class: "cf-citation",
        "aria-expanded": "false",
        "aria-controls": regionId,
      });
      const label = citationLabel(c, n);
      const m = /^(\[\d+\])\s(.*)$/s.exec(label);
      if (m) btn.append(h("span", { class: "cf-cite-num", text: m[1] }), " ", m[2]);
      else btn.textContent = label;
      const region = h("div", { id: regionId, class: "cf-source", role: "region", "aria-label": "Source", hidden: true });
      let loaded = false;
      let loading = false;
      btn.addEventListener("click", async () => {
        const expanded = btn.getAttribute("aria-expanded") === "true";
        if (expanded) {
          btn.setAttribute("aria-expanded", "false");
          region.hidden = true;
          return;
        }
        btn.setAttribute("aria-expanded", "true");
        region.hidden = false;
        if (loaded || loading) {
          if (loaded) {
            const mark = region.querySelector("mark");
            const pre = region.querySelector("pre");
            requestAnimationFrame(() => {
              if (mark && pre) scrollWithin(pre, mark, true);
              scrollWithin(log, region, false);
            });
          }
          return;
        }
        const hasSpan = [c.char_start, c.char_end].every((v) => v !== null && v !== undefined && Number.isFinite(Number(v)));
        if (!c.doc_id || !hasSpan) {
          region.replaceChildren(h("p", { class: "cf-source-msg", text: "No source location was recorded for this citation." }));
          return;
        }
        loading = true;
        region.setAttribute("aria-busy", "true");
        region.replaceChildren(h("p", { class: "cf-source-msg", text: "Loading source…" }));
        try {
          const res = await fetch(sourceUrl(c), { method: "GET", headers: headers(false) });
          if (!res.ok) {
            region.replaceChildren(h("p", { class: "cf-error", text: await errorMessage(res) }));
          } else {
            renderSource(region, await res.json(), c);
            loaded = true;
          }
        } catch (_) {
          region.replaceChildren(h("p", { class: "cf-error", text: NETWORK_ERROR }));
        } finally {
          loading = false;
          region.setAttribute("aria-busy", "false");
        }
      });
      return h("li", null, [btn, region]);
    }

    function calcSection(answer, citations) {
      const calcId = uid("cf-calc");
      const toggle = h("button", {
        type: "button",
        class: "cf-show-calc",
        "aria-expanded": "false",
        "aria-controls": calcId,
        text: "Show calculation",
      });
      const program = str(answer.program);
      const operands = programOperands(program);
      const list = h("ul", { class: "cf-operands", "aria-label": "Operands" });
      for (const op of operands) {
        const idx = citationForOperand(op, citations);
        const item = h("li", { class: "cf-operand" }, [h("span", { class: "cf-operand-value", text: formatNumberString(op) })]);
        if (idx >= 0) {
          const c = citations[idx];
          const where = [c.row, c.column, c.document || c.doc_id].map(str).filter((p) => p.trim());
          item.append(" — ", h("span", { class: "cf-operand-source", text: `${where.join(" · ")} [${idx + 1}]` }));
        } else {
          item.append(" — ", h("span", { class: "cf-operand-source", text: "constant (not from a citation)" }));
        }
        list.append(item);
      }
      const calc = h("div", { id: calcId, class: "cf-calc", hidden: true }, [
        h("code", { text: program }),
        operands.length ? list : null,
        answer.value && answer.value.display
          ? h("div", { class: "cf-result" }, ["Result: ", h("strong", { text: str(answer.value.display) })])
          : null,
      ]);
      toggle.addEventListener("click", () => {
        const show = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", show ? "true" : "false");
        toggle.textContent = show ? "Hide calculation" : "Show calculation";
        calc.hidden = !show;
        if (show) requestAnimationFrame(() => scrollWithin(log, calc, false));
      });
      return [toggle, calc];
    }

    // How sure the engine is that the figures it chose are the ones asked for: shown small under
    // the key figure of an answered figure answer; narrative answers and refusals carry none.
    function confidenceNote(answer) {
      if (!answer || answer.status !== "answered") return null;
      const percent = confidencePercent(answer.confidence);
      if (percent === null) return null;
      return h("p", { class: "cf-confidence", title: CONFIDENCE_MEANING }, [
        h("span", { class: "cf-confidence-label", "aria-hidden": "true", text: `Confidence ${percent}%` }),
        h("span", { class: "cf-sr-only", text: `Confidence ${percent}%: ${CONFIDENCE_MEANING}.` }),
      ]);
    }

    function renderAnswer(bot, answer) {
      const stick = nearBottom();
      const nodes = [];
      const status = answer && answer.status;
      if (answer && answer.value && answer.value.display) {
        nodes.push(h("div", { class: "cf-figure", text: str(answer.value.display) }));
      }
      nodes.push(confidenceNote(answer));
      const text = str(answer && answer.answer) || (status === "not_found" ? "No answer was found in the filings." : "");
      if (status === "not_found") {
        nodes.push(
          h("div", { class: "cf-not-found" }, [
            h("span", { class: "cf-note-label", text: "Not found" }),
            h("p", { class: "cf-answer", text }),
          ])
        );
      } else if (status === "needs_clarification") {
        nodes.push(
          h("div", { class: "cf-clarify" }, [
            h("span", { class: "cf-note-label", text: "Could you clarify?" }),
            h("p", { class: "cf-answer", text }),
          ])
        );
      } else if (text) {
        nodes.push(h("p", { class: "cf-answer", text }));
      }
      const citations = Array.isArray(answer && answer.citations) ? answer.citations.filter((c) => c && typeof c === "object") : [];
      if (citations.length) {
        nodes.push(h("ol", { class: "cf-citations", "aria-label": "Sources" }, citations.map((c, i) => citationItem(c, i + 1))));
      }
      if (answer && answer.program) nodes.push(...calcSection(answer, citations));
      bot.replaceChildren(...nodes.filter(Boolean));
      if (stick) scrollToBottom();
    }

    function showError(turn, message) {
      turn.bot.querySelectorAll(".cf-status").forEach((el) => el.remove());
      turn.bot.append(h("p", { class: "cf-error", role: "alert", text: message }));
      if (nearBottom()) scrollToBottom();
    }

    // ---- asking ----

    async function ask(question) {
      question = str(question).trim();
      if (!question || state.busy) return false;
      const emptyNote = log.querySelector(".cf-empty");
      if (emptyNote) emptyNote.remove();

      const status = h("div", { class: "cf-status", role: "status", text: "Working…" });
      const bot = h("div", { class: "cf-bot" }, [status]);
      const turn = { bot, done: false, partial: null, streamCitations: null, citationCount: 0 };
      log.append(h("div", { class: "cf-turn" }, [h("div", { class: "cf-user", text: question }), bot]));
      scrollToBottom();

      const controller = new AbortController();
      state.controller = controller;
      setBusy(true);

      const onEvent = (name, data) => {
        if (controller.signal.aborted) return true;
        if (name === "status") {
          if (data && data.conversation_id) state.conversationId = str(data.conversation_id);
        } else if (name === "delta") {
          const piece = data && data.text !== undefined ? str(data.text) : "";
          if (!piece) return false;
          const stick = nearBottom();
          if (!turn.partial) {
            // The partial text is hidden from screen readers; the final answer is announced once.
            turn.partial = h("p", { class: "cf-answer cf-streaming", "aria-hidden": "true" });
            status.after(turn.partial);
          }
          turn.partial.append(document.createTextNode(piece));
          if (stick) scrollToBottom();
        } else if (name === "citation") {
          if (!data || typeof data !== "object") return false;
          const stick = nearBottom();
          if (!turn.streamCitations) {
            turn.streamCitations = h("ol", { class: "cf-citations", "aria-label": "Sources" });
            bot.append(turn.streamCitations);
          }
          turn.citationCount += 1;
          turn.streamCitations.append(citationItem(data, turn.citationCount));
          if (stick) scrollToBottom();
        } else if (name === "answer") {
          turn.done = true;
          if (data && data.conversation_id) state.conversationId = str(data.conversation_id);
          renderAnswer(bot, data || {});
          return true;
        } else if (name === "error") {
          turn.done = true;
          const err = (data && data.error) || data || {};
          if (turn.partial) turn.partial.classList.remove("cf-streaming");
          showError(turn, str(err.message) || "Something went wrong while answering. Please try again.");
          return true;
        }
        return false;
      };

      try {
        const res = await fetch(`${config.api}/v1/ask/stream`, {
          method: "POST",
          headers: { ...headers(true), Accept: "text/event-stream" },
          body: JSON.stringify({ question, conversation_id: state.conversationId, doc: config.doc }),
          signal: controller.signal,
        });
        if (!res.ok) {
          showError(turn, await errorMessage(res));
          return false;
        }
        const type = (res.headers.get("Content-Type") || "").toLowerCase();
        if (type.includes("application/json")) {
          // A plain JSON answer instead of a stream: render it the same way.
          onEvent("answer", await res.json());
        } else if (res.body && typeof res.body.getReader === "function") {
          await readSse(res.body, onEvent);
        } else {
          const all = (await res.text()).replace(/\r\n?/g, "\n");
          for (const block of all.split("\n\n")) {
            const ev = parseSseBlock(block);
            if (ev && onEvent(ev.event, ev.data)) break;
          }
        }
        if (!turn.done && !controller.signal.aborted) {
          if (turn.partial) turn.partial.classList.remove("cf-streaming");
          showError(turn, "The answer was cut off before it finished. Please try again.");
        }
        return turn.done;
      } catch (err) {
        if (controller.signal.aborted) return false;
        showError(turn, NETWORK_ERROR);
        return false;
      } finally {
        if (state.controller === controller) {
          state.controller = null;
          setBusy(false);
        }
      }
    }

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (state.busy) return;
      const q = input.value.trim();
      if (!q) {
        input.focus();
        return;
      }
      input.value = "";
      autoGrow();
      ask(q);
    });

    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });

    function autoGrow() {
      input.style.height = "auto";
      input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`;
    }
    input.addEventListener("input", autoGrow);

    document.body.append(host);

    if (!("crossfoot" in window)) {
      Object.defineProperty(window, "crossfoot", {
        value: Object.freeze({
          open: () => openPanel(),
          close: () => closePanel(false),
          ask: (text) => {
            openPanel();
            return ask(text);
          },
        }),
        configurable: true,
        enumerable: false,
        writable: false,
      });
    }
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
