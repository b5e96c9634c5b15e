/* The clinic chat widget: one <script> tag, a launcher, a chat panel in a shadow root.
 *
 * Embed:  <script src="https://HOST/widget.js" data-bot-url="https://BOT" data-clinic="demo" defer></script>
 * Shadow DOM rather than an iframe: the panel sits in the page's own layout (full screen on a phone,
 * a panel on a desktop) and its focus and keyboard handling are the page's, while its styles neither
 * leak out nor take anything in. The socket.io client is bundled in front of this file by the server.
 * Bot text is never parsed as HTML: it is built into DOM nodes (text, bold, https links only).
 */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-bot-url]");
  if (!script || window.__screeningWidget) return;
  window.__screeningWidget = true;

  var botUrl = (script.getAttribute("data-bot-url") || "").replace(/\/$/, "");
  var clinicId = script.getAttribute("data-clinic") || "demo";
  var assetBase = new URL(script.src, location.href).origin;
  var storeKey = "screening-widget:" + botUrl + ":" + clinicId;
  // The outcome codes, their labels and which one is urgent care: filled in by the server from
  // bot/vocabulary.py and data/knowledge/labels.yml (bot/web/widget_bundle.py), so there is one copy.
  var OUTCOMES = "/*__OUTCOMES__*/";
  function outcomeLabel(code) { return OUTCOMES.labels[code] || code; }

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  // Until the visitor agrees that their answers are kept, the page keeps only the session id (the
  // bot says so with a {"type": "consent"} payload); after a refusal or an erasure, nothing.
  function save() {
    try {
      state.transcript = state.transcript.slice(-200);
      if (state.consent === false) { localStorage.removeItem(storeKey); return; }  // nothing after a refusal
      var kept = state.consent === true ? state : { sessionId: state.sessionId };
      localStorage.setItem(storeKey, JSON.stringify(kept));
    } catch (e) { /* private mode: the chat still works, it just won't survive a reload */ }
  }
  function forget() {
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing was stored */ }
  }
  var state = load();
  state.transcript = state.transcript || [];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // Safe rendering: **bold** and [label](https://link) become nodes; everything else is text.
  function renderRich(text) {
    var frag = document.createDocumentFragment();
    String(text || "").split("\n").forEach(function (line, index) {
      if (index) frag.appendChild(document.createElement("br"));
      var pattern = /\*\*([^*]+)\*\*|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g;
      var last = 0, match;
      while ((match = pattern.exec(line))) {
        if (match.index > last) frag.appendChild(document.createTextNode(line.slice(last, match.index)));
        if (match[1]) frag.appendChild(el("strong", { text: match[1] }));
        else frag.appendChild(el("a", { href: match[3], target: "_blank", rel: "noopener noreferrer", text: match[2] }));
        last = pattern.lastIndex;
      }
      if (last < line.length) frag.appendChild(document.createTextNode(line.slice(last)));
    });
    return frag;
  }

  // A drawn speech bubble, not an emoji: where no emoji font is installed an emoji shows as a box.
  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }

  var host = el("div", { id: "screening-widget-host" });
  var root = host.attachShadow({ mode: "open" });
  var style = el("style");
  style.textContent = "/*__WIDGET_CSS__*/";
  root.appendChild(style);

  var launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false",
    "aria-controls": "chat-panel", "aria-label": "Open the chat" }, [chatIcon(),
    el("span", { class: "launcher-text", text: "Check if it suits you" })]);
  var title = el("h2", { id: "chat-title", text: "Chat" });
  var closeButton = el("button", { class: "close", type: "button", "aria-label": "Close the chat", text: "×" });
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-labelledby": "chat-title", tabindex: "0" });
  var typing = el("div", { class: "typing", "aria-hidden": "true", hidden: "" }, [el("span"), el("span"), el("span")]);
  var status = el("p", { class: "status", role: "status" });
  var input = el("input", { type: "text", id: "chat-input", autocomplete: "off", maxlength: "/*__MAX_MESSAGE_CHARS__*/",
    "aria-label": "Your message", placeholder: "Type your message…" });
  var send = el("button", { type: "submit", class: "send", "aria-label": "Send", text: "Send" });
  var form = el("form", { class: "composer" }, [input, send]);
  var panel = el("section", { id: "chat-panel", class: "panel", role: "dialog", "aria-labelledby": "chat-title",
    hidden: "" }, [el("header", {}, [el("img", { class: "logo", alt: "", hidden: "" }), title, closeButton]),
    log, typing, status, form,
    el("p", { class: "note", text: "Automated assistant, not a clinician. In an emergency call your local emergency number." })]);
  root.appendChild(launcher);
  root.appendChild(panel);

  // "Ask the clinic to call me back": a small form posted to the web app (POST /callback), never to the
  // assistant, so a phone number or email never enters the chat, the tracker or this page's storage.
  // Offered once the visitor agreed to keep their answers (the server checks that too).
  var callbackLink = el("button", { type: "button", class: "callback-link", hidden: "",
    text: "Ask the clinic to call me back" });
  var cbContact = el("input", { type: "text", id: "callback-contact", autocomplete: "tel", maxlength: "254",
    required: "", "aria-describedby": "callback-status" });
  var cbTime = el("select", { id: "callback-time" }, [
    el("option", { value: "", text: "Any time" }), el("option", { value: "morning", text: "Morning" }),
    el("option", { value: "afternoon", text: "Afternoon" }), el("option", { value: "evening", text: "Evening" })]);
  var cbConsent = el("input", { type: "checkbox", id: "callback-consent" });
  var cbStatus = el("p", { id: "callback-status", class: "callback-status", role: "status" });
  var cbSend = el("button", { type: "submit", class: "send", text: "Send request" });
  var cbCancel = el("button", { type: "button", class: "cancel", text: "Cancel" });
  var callbackForm = el("form", { class: "callback-form", "aria-labelledby": "callback-title", hidden: "" }, [
    el("h3", { id: "callback-title", text: "Ask the clinic to call you back" }),
    el("label", { for: "callback-contact", text: "Phone number or email" }), cbContact,
    el("label", { for: "callback-time", text: "Best time (optional)" }), cbTime,
    el("label", { class: "consent", for: "callback-consent" }, [cbConsent, document.createTextNode(
      " I agree that the clinic keeps this phone number or email only to contact me about this request." +
      " It is erased with this conversation.")]),
    cbStatus, el("div", { class: "actions" }, [cbSend, cbCancel])]);
  panel.insertBefore(callbackForm, form);
  panel.insertBefore(callbackLink, panel.querySelector(".note"));

  function showCallbackOffer() { callbackLink.hidden = state.consent !== true || !state.sessionId; }
  function openCallback() {
    if (state.consent !== true) return;
    callbackForm.classList.remove("sent");
    callbackForm.hidden = false;
    cbCancel.textContent = "Cancel";
    cbSend.disabled = false;
    cbStatus.textContent = "";
    cbContact.focus();
  }
  function closeCallback() {
    callbackForm.hidden = true;
    cbContact.value = "";
    cbConsent.checked = false;
  }
  callbackLink.addEventListener("click", openCallback);
  cbCancel.addEventListener("click", function () { closeCallback(); input.focus(); });
  callbackForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!cbConsent.checked) {
      cbStatus.textContent = "Please tick the box: without it, the clinic can't keep your number or email.";
      cbConsent.focus();
      return;
    }
    cbSend.disabled = true;
    cbStatus.textContent = "Sending…";
    fetch(assetBase + "/callback", {
      method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sessionId || "", clinic: clinicId, contact: cbContact.value.trim(),
        preferred_time: cbTime.value, consent: cbConsent.checked })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (result) {
      var message = result.body && typeof result.body.message === "string" ? result.body.message : "";
      cbStatus.textContent = message || (result.ok ? "Sent." : "Sorry, that didn't work. Please try again.");
      if (result.ok) {
        cbContact.value = "";
        cbConsent.checked = false;
        callbackForm.classList.add("sent");
        cbCancel.textContent = "Close";
      } else {
        cbSend.disabled = false;
      }
    }).catch(function () {
      cbStatus.textContent = "Can't reach the clinic's server. Please try again, or call the clinic.";
      cbSend.disabled = false;
    });
  });

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function disableOldButtons() {
    var hadFocus = false;
    Array.prototype.forEach.call(log.querySelectorAll(".replies button"), function (b) {
      if (root.activeElement === b) hadFocus = true;
      b.disabled = true;
    });
    // A disabled button drops focus to the page: keep it in the chat, on the message box.
    if (hadFocus) input.focus();
  }

  function addButtons(container, buttons) {
    var row = el("div", { class: "replies", role: "group", "aria-label": "Suggested replies" });
    buttons.forEach(function (button) {
      var isFeedback = /rate_answer/.test(button.payload || "");
      row.appendChild(el("button", { type: "button", class: isFeedback ? "feedback" : "reply", text: button.title,
        onclick: function () { sendMessage(button.payload, isFeedback ? null : button.title); } }));
    });
    container.appendChild(row);
  }

  function resultCard(payload) {
    var urgent = payload.outcome === OUTCOMES.urgent;
    var card = el("article", { class: "result outcome-" + payload.outcome + (urgent ? " urgent" : ""),
      "aria-label": "Screening result" });
    card.appendChild(el("h3", { text: outcomeLabel(payload.outcome) }));
    if (payload.reasons && payload.reasons.length) {
      card.appendChild(el("h4", { text: "Why" }));
      card.appendChild(el("ul", {}, payload.reasons.map(function (r) { return el("li", { text: r.text }); })));
    }
    if (payload.caveats && payload.caveats.length) {
      card.appendChild(el("h4", { text: "Good to know" }));
      card.appendChild(el("ul", {}, payload.caveats.map(function (c) { return el("li", { text: c }); })));
    }
    if (payload.next_step) card.appendChild(el("p", { class: "next", text: payload.next_step }));
    var link = payload.booking_url || (state.theme && state.theme.booking_url);
    if (link && /^https?:\/\//.test(link) && !urgent) {
      card.appendChild(el("a", { class: "book", href: link, target: "_blank", rel: "noopener noreferrer",
        text: "Book a consultation" }));
    }
    if (!urgent) {
      var save = el("button", { type: "button", class: "save-summary", text: "Save a copy for your consultation" });
      save.addEventListener("click", function () { downloadSummary(payload); });
      card.appendChild(save);
    }
    if (!urgent && state.consent === true) {
      card.appendChild(el("button", { type: "button", class: "save-summary ask-callback",
        text: "Ask the clinic to call me back", onclick: openCallback }));
    }
    return card;
  }

  // A short pre-consultation summary, built here from what the conversation showed (the answers as
  // confirmed, the result and its reasons): the server keeps nothing extra for it.
  function summaryText(payload) {
    var answers = null;
    for (var i = state.transcript.length - 1; i >= 0; i--) {
      var t = state.transcript[i].text || "";
      if (t.indexOf("Here's what you told me") === 0) { answers = t; break; }
    }
    var lines = ["Facial acupuncture: my screening summary", "Date: " + new Date().toISOString().slice(0, 10), ""];
    if (answers) lines.push(answers.replace(/\nIs that right\?$/, ""), "");
    lines.push("Result: " + outcomeLabel(payload.outcome));
    (payload.reasons || []).forEach(function (r) { lines.push("- " + r.text); });
    if ((payload.caveats || []).length) {
      lines.push("", "Good to know:");
      payload.caveats.forEach(function (c) { lines.push("- " + c); });
    }
    if (payload.next_step) lines.push("", "Next step: " + payload.next_step);
    lines.push("", "This is an automated screening, not a medical assessment. Show it to your practitioner, " +
      "and tell them about every medicine and condition.");
    return lines.join("\n");
  }
  function downloadSummary(payload) {
    var blob = new Blob([summaryText(payload)], { type: "text/plain;charset=utf-8" });
    var a = el("a", { href: URL.createObjectURL(blob), download: "screening-summary.txt" });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function render(entry) {
    var bubble;
    if (entry.from === "user") {
      bubble = el("div", { class: "msg user" }, [el("span", { class: "sr", text: "You: " }), document.createTextNode(entry.text)]);
    } else if (entry.custom && entry.custom.type === "screening_result") {
      bubble = el("div", { class: "msg bot card" }, [resultCard(entry.custom)]);
    } else if (entry.custom) {
      return;  // other custom payloads (handoff, erasure) are already said in text
    } else {
      bubble = el("div", { class: "msg bot" }, [el("span", { class: "sr", text: "Assistant: " }), renderRich(entry.text)]);
      if (entry.buttons && entry.buttons.length) addButtons(bubble, entry.buttons);
    }
    log.appendChild(bubble);
    scrollDown();
  }

  var socket = null;
  function connect() {
    if (socket || typeof io === "undefined") return;
    socket = io(botUrl, { path: "/socket.io", transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    socket.on("connect", function () {
      status.textContent = "";
      socket.emit("session_request", { session_id: state.sessionId || null });
    });
    socket.on("session_confirm", function (sessionId) {
      var isNew = sessionId !== state.sessionId;
      state.sessionId = sessionId;
      save();
      showCallbackOffer();
      if (isNew && !state.transcript.length) sendMessage("/greet", null);
      if (state.pending) { var p = state.pending; state.pending = null; sendMessage(p.text, p.shown); }
    });
    socket.on("bot_uttered", function (message) {
      typing.hidden = true;
      var entry = { from: "bot" };
      var custom = message.custom || {};
      if (custom.type === "consent") {
        state.consent = custom.kept === true;
        save();
        showCallbackOffer();
        if (state.consent !== true) closeCallback();
        return;
      }
      if (custom.type === "data_erased") {
        state.consent = null;
        state.sessionId = null;
        state.transcript = [];
        forget();
        closeCallback();
        showCallbackOffer();
        // A new conversation from here: the erased one must never be written to again.
        if (socket && socket.connected) socket.emit("session_request", { session_id: null });
      }
      if (message.custom) entry.custom = message.custom;
      else {
        entry.text = message.text || "";
        entry.buttons = (message.quick_replies || message.buttons || []).map(function (b) {
          return { title: b.title, payload: b.payload };
        });
      }
      state.transcript.push(entry);
      save();
      render(entry);
    });
    socket.on("disconnect", function () { status.textContent = "Reconnecting…"; });
    socket.on("connect_error", function () { status.textContent = "Can't reach the assistant. Retrying…"; });
  }

  function sendMessage(text, shown) {
    text = String(text || "").trim();
    if (!text) return;
    if (!socket || !socket.connected || !state.sessionId) {
      state.pending = { text: text, shown: shown };
      connect();
      return;
    }
    disableOldButtons();
    if (shown) {
      var entry = { from: "user", text: shown };
      state.transcript.push(entry);
      save();
      render(entry);
    }
    typing.hidden = false;
    scrollDown();
    socket.emit("user_uttered", { message: text, session_id: state.sessionId, metadata: { clinic: clinicId } });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    sendMessage(text, text);
  });

  function openPanel() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.hidden = true;
    state.open = true;
    save();
    connect();
    input.focus();
    scrollDown();
  }
  function closePanel() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }
  launcher.addEventListener("click", openPanel);
  closeButton.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") closePanel(); });

  function applyTheme(theme) {
    state.theme = theme;
    var colors = theme.colors || {};
    var map = { primary: "--primary", on_primary: "--on-primary", surface: "--surface", text: "--text" };
    Object.keys(map).forEach(function (key) {
      if (/^#[0-9a-fA-F]{3,8}$/.test(colors[key] || "")) host.style.setProperty(map[key], colors[key]);
    });
    title.textContent = theme.name || "Chat";
    launcher.setAttribute("aria-label", "Open the chat with " + (theme.name || "the clinic"));
    var logo = panel.querySelector(".logo");
    if (theme.logo) { logo.src = new URL(theme.logo, assetBase).href; logo.hidden = false; }
  }

  window.screeningWidget = { open: openPanel, close: closePanel };
  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-open-screening]");
    if (opener) { event.preventDefault(); openPanel(); }
  });

  function start() {
    document.body.appendChild(host);
    showCallbackOffer();
    state.transcript.forEach(render);
    disableOldButtons();
    // After a reload, the replies offered by the last bot message are still the right ones.
    var last = log.lastElementChild;
    if (last && last.classList.contains("bot")) {
      Array.prototype.forEach.call(last.querySelectorAll(".replies button"), function (b) { b.disabled = false; });
    }
    fetch(assetBase + "/clinics/" + encodeURIComponent(clinicId) + ".json")
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(applyTheme)
      .catch(function () { /* default look */ });
    if (state.open) openPanel();
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
