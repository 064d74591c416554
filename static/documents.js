// Uploads on the documents page: drop files on the zone (or choose them), and each one is sent
// with POST /api/v1/documents on its own, with a progress bar and its outcome. Uploads go two at
// a time. The session's form token travels as X-CSRF-Token (see server/http/csrf.ts); the list
// below updates itself from the page's event stream as documents are read.
(() => {
  const zone = document.getElementById("document-upload");
  if (!zone) return;
  const input = document.getElementById("upload-input");
  const list = document.getElementById("upload-progress");
  const url = zone.dataset.uploadUrl || "/api/v1/documents";
  const csrf = zone.dataset.csrf || "";
  const maxBytes = Number(zone.dataset.maxBytes || "0");
  const waiting = [];
  let running = 0;
  const PARALLEL = 2;

  function sizeOf(bytes) {
    if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${bytes} bytes`;
  }

  function row(file) {
    const item = document.createElement("li");
    item.className = "upload-item";
    const name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = `${file.name} (${sizeOf(file.size)})`;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", `Uploading ${file.name}`);
    const note = document.createElement("span");
    note.className = "upload-note";
    note.textContent = "Waiting…";
    item.append(name, bar, note);
    list.prepend(item);
    return { item, bar, note };
  }

  function finish(view, state, text, href) {
    view.item.dataset.state = state;
    view.bar.value = 100;
    view.note.textContent = "";
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = text;
      view.note.append(link);
    } else view.note.textContent = text;
  }

  function messageOf(xhr) {
    try {
      return JSON.parse(xhr.responseText).error.message;
    } catch {
      return `The upload failed (${xhr.status || "no connection"}).`;
    }
  }

  function send(file, view) {
    running += 1;
    view.note.textContent = "Uploading…";
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) view.bar.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.addEventListener("loadend", () => {
      running -= 1;
      if (xhr.status === 202 || xhr.status === 200) {
        const doc = JSON.parse(xhr.responseText);
        const text = xhr.status === 202 ? "Uploaded" : "Already here";
        finish(view, "done", text, `/documents/${doc.id}`);
      } else finish(view, "failed", messageOf(xhr));
      next();
    });
    const body = new FormData();
    body.append("file", file, file.name);
    xhr.send(body);
  }

  function next() {
    while (running < PARALLEL && waiting.length > 0) {
      const { file, view } = waiting.shift();
      send(file, view);
    }
  }

  function add(files) {
    for (const file of files) {
      const view = row(file);
      if (maxBytes && file.size > maxBytes) {
        finish(view, "failed", `Larger than the limit of ${sizeOf(maxBytes)}.`);
        continue;
      }
      waiting.push({ file, view });
    }
    next();
  }

  input.addEventListener("change", () => {
    add(Array.from(input.files || []));
    input.value = "";
  });
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("upload-zone-over");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      if (type === "drop" || !zone.contains(event.relatedTarget)) zone.classList.remove("upload-zone-over");
    });
  }
  zone.addEventListener("drop", (event) => add(Array.from(event.dataTransfer?.files || [])));
})();
