// The browser page: plain JavaScript over the server's own endpoints (docs/HTTP.md).
"use strict";

const newestEvents = 100;  // events kept on the page

function show(element, text, failed) {
  element.textContent = text;
  element.className = failed ? "error" : "";
}

async function sendCommand(event) {
  event.preventDefault();
  const headers = { "Content-Type": "application/json" };
  const ifMatch = document.getElementById("if-match").value.trim();
  if (ifMatch) headers["If-Match"] = '"' + ifMatch.replace(/"/g, "") + '"';
  const result = document.getElementById("command-result");
  try {
    const answer = await fetch("/commands", {
      method: "POST", headers, body: document.getElementById("command").value });
    const body = await answer.text();
    show(result, answer.status + " " + body, !answer.ok);
  } catch (failure) {
    show(result, String(failure), true);
  }
  refreshStatus();
}

async function readState(event) {
  event.preventDefault();
  const type = encodeURIComponent(document.getElementById("state-type").value.trim());
  const id = encodeURIComponent(document.getElementById("state-id").value.trim());
  const answer = await fetch("/aggregates/" + type + "/" + id);
  show(document.getElementById("state-result"), answer.status + " " + await answer.text(),
       !answer.ok);
}

async function followLiveEvents() {
  const list = document.getElementById("events");
  const status = document.getElementById("live-status");
  // Starts with the newest events, not the whole log.
  let from = 1;
  try {
    const health = await (await fetch("/health")).json();
    from = Math.max(1, (health.store.last_position || 0) - newestEvents + 1);
  } catch (failure) {
    status.textContent = "cannot read /health";
  }
  const feed = new EventSource("/events/live?from=" + from);  // resumes with Last-Event-ID itself
  feed.onopen = () => { status.textContent = "live"; };
  feed.onerror = () => { status.textContent = "reconnecting…"; };
  feed.onmessage = (message) => {
    const recorded = JSON.parse(message.data);
    const item = document.createElement("li");
    item.className = "event";
    item.value = recorded.position;
    item.textContent = recorded.position + " " + recorded.stream + " v" + recorded.version + " " +
                       recorded.type + " " + JSON.stringify(recorded.payload);
    list.insertBefore(item, list.firstChild);
    while (list.children.length > newestEvents) list.removeChild(list.lastChild);
    rememberStream(recorded.stream, recorded.version);
  };
}

// The streams shown: the first pages of GET /streams (every stream, by name), and those seen
// in the live feed since.
const streamVersions = new Map();
let nextStreamsPage = "/streams?limit=100";  // the Link of the last page read, or ""

function rememberStream(stream, version) {
  if ((streamVersions.get(stream) || 0) < version) streamVersions.set(stream, version);
  const list = document.getElementById("streams");
  list.textContent = "";
  for (const [name, latest] of [...streamVersions].sort()) {
    const item = document.createElement("li");
    item.className = "stream";
    item.textContent = name + " (version " + latest + ")";
    list.appendChild(item);
  }
  document.getElementById("more-streams").hidden = !nextStreamsPage;
}

async function loadStreams() {
  if (!nextStreamsPage) return;
  try {
    const answer = await fetch(nextStreamsPage);
    if (!answer.ok) throw new Error(answer.status + " " + await answer.text());
    const link = /<([^>]*)>;\s*rel="next"/.exec(answer.headers.get("Link") || "");
    nextStreamsPage = link ? link[1] : "";
    for (const line of (await answer.text()).split("\n")) {
      if (!line) continue;
      const stream = JSON.parse(line);
      rememberStream(stream.stream, stream.version);
    }
    document.getElementById("more-streams").hidden = !nextStreamsPage;
  } catch (failure) {
    show(document.getElementById("streams-status"), "cannot list the streams: " + failure, true);
  }
}

async function refreshStatus() {
  try {
    const answer = await fetch("/health");
    const health = await answer.json();
    show(document.getElementById("health"), health.status, !answer.ok);
    const rows = document.querySelector("#projections tbody");
    rows.textContent = "";
    for (const projection of health.projections) {
      const row = rows.insertRow();
      for (const value of [projection.name, projection.state, projection.position, projection.lag])
        row.insertCell().textContent = value;
    }
  } catch (failure) {
    show(document.getElementById("health"), "unreachable", true);
  }
}

document.getElementById("command-form").addEventListener("submit", sendCommand);
document.getElementById("state-form").addEventListener("submit", readState);
document.getElementById("more-streams").addEventListener("click", loadStreams);
loadStreams();
followLiveEvents();
refreshStatus();
setInterval(refreshStatus, 5000);
