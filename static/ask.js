// The Ask page: sends the question to the JSON API and shows the answer as it is written
// (server-sent events read from a fetch body, so the request can be a POST and Stop can end
// it). Without this script the form posts normally and the page reloads with the answer.
// Text from the model is only ever set as textContent; the finished answer's HTML comes from
// the server's sanitising renderer.
(() => {
  const form = document.getElementById("ask-form");
  if (!(form instanceof HTMLFormElement)) return;
  const list = document.getElementById("ask-messages");
  const input = form.querySelector("textarea[name=content]");
  const submit = document.getElementById("ask-submit");
  const stop = document.getElementById("ask-stop");
  const errorBox = document.getElementById("ask-error");
  const csrf = form.dataset.csrf || "";
  let conversationId = form.dataset.conversation || "";
  let running = null;

  const headers = (extra) => ({ "Content-Type": "application/json", "X-CSRF-Token": csrf, ...extra });

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function setBusy(busy) {
    submit.disabled = busy;
    submit.setAttribute("aria-busy", busy ? "true" : "false");
    stop.hidden = !busy;
  }

  function bubble(role) {
    const item = document.createElement("li");
    item.className = `ask-message ask-message-${role}`;
    const who = document.createElement("p");
    who.className = "ask-message-who";
    who.textContent = role === "user" ? "You" : "Assistant";
    const body = document.createElement("div");
    body.className = "ask-message-body";
    item.append(who, body);
    list.append(item);
    return { item, who, body };
  }

  function citationList(citations) {
    const ol = document.createElement("ol");
    ol.className = "ask-citations";
    ol.setAttribute("aria-label", "Sources");
    for (const citation of citations) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = citation.href;
      const number = document.createElement("span");
      number.className = "ask-citation-number";
      number.textContent = `[${citation.n}]`;
      link.append(number, ` ${citation.title}, page ${citation.page}`);
      li.append(link);
      ol.append(li);
    }
    return ol;
  }

  const notes = { stopped: "Stopped before the end", failed: "Failed" };

  function finish(answer, message) {
    answer.item.dataset.status = message.status;
    answer.body.innerHTML = message.html;
    const note = notes[message.status];
    if (note) {
      const badge = document.createElement("span");
      badge.className = `ask-status ask-status-${message.status}`;
      badge.textContent = note;
      answer.who.append(badge);
    }
    if (message.citations.length > 0) answer.item.append(citationList(message.citations));
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      return body?.error?.message || `The request failed (${response.status}).`;
    } catch {
      return `The request failed (${response.status}).`;
    }
  }

  /** Calls `onEvent(name, data)` for each server-sent event of `body` until it ends. */
  async function readEvents(body, onEvent) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const blocks = buffer.split(/\r?\n\r?\n/);
      buffer = blocks.pop() ?? "";
      for (const block of blocks) {
        let event = "message";
        const data = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length > 0) onEvent(event, JSON.parse(data.join("\n")));
      }
    }
  }

  /** A new conversation joins the list, named by its first question as the server names it. */
  function listConversation(id, question) {
    const conversations = document.getElementById("ask-conversations");
    if (!conversations) return;
    document.querySelector(".ask-list-empty")?.remove();
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/ask/${id}`;
    link.setAttribute("aria-current", "page");
    const line = question.replace(/\s+/g, " ").trim();
    link.textContent = line.length <= 80 ? line : `${line.slice(0, 79)}…`;
    item.append(link);
    conversations.prepend(item);
  }

  async function startConversation(question) {
    const equipmentId = form.querySelector("input[name=equipmentId]")?.value;
    const response = await fetch("/api/v1/conversations", {
      method: "POST",
      headers: headers(),
      body: JSON.stringify(equipmentId ? { equipmentId } : {}),
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    const conversation = await response.json();
    conversationId = conversation.id;
    form.dataset.conversation = conversationId;
    form.action = `/ask/${conversationId}/messages`;
    history.replaceState(null, "", `/ask/${conversationId}`);
    listConversation(conversationId, question);
  }

  async function ask(content) {
    showError("");
    if (!conversationId) await startConversation(content);
    const question = bubble("user");
    const text = document.createElement("p");
    text.textContent = content;
    question.body.append(text);
    input.value = "";
    running = new AbortController();
    setBusy(true);
    let answer = null;
    try {
      const response = await fetch(`/api/v1/conversations/${conversationId}/messages`, {
        method: "POST",
        headers: headers({ Accept: "text/event-stream" }),
        body: JSON.stringify({ content }),
        signal: running.signal,
      });
      if (!response.ok || !response.body) {
        question.item.remove();
        input.value = content;
        showError(await errorMessage(response));
        return;
      }
      answer = bubble("assistant");
      answer.item.dataset.status = "streaming";
      const written = document.createElement("p");
      answer.body.append(written);
      await readEvents(response.body, (event, data) => {
        if (event === "token") written.textContent += data.text;
        else if (event === "done") finish(answer, data.message);
        else if (event === "error") showError(data.error.message);
        list.lastElementChild?.scrollIntoView({ block: "end" });
      });
    } catch (error) {
      if (error?.name === "AbortError") {
        if (answer) answer.item.dataset.status = "stopped";
      } else {
        showError(error instanceof Error ? error.message : String(error));
      }
    } finally {
      running = null;
      setBusy(false);
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const content = input.value.trim();
    if (!content || running) return;
    ask(content).catch((error) => showError(error instanceof Error ? error.message : String(error)));
  });

  // Enter asks, Shift+Enter starts a new line.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Stop asks the server to end the answer, which then arrives as stopped; if that request
  // fails, closing the stream stops it too.
  stop.addEventListener("click", async () => {
    if (!running || !conversationId) return;
    const current = running;
    try {
      const response = await fetch(`/api/v1/conversations/${conversationId}/stop`, {
        method: "POST",
        headers: headers(),
      });
      if (!response.ok) current.abort();
    } catch {
      current.abort();
    }
  });
})();
