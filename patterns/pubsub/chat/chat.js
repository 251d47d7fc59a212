// The chat page: plain browser JavaScript, no build step. It speaks the JSON protocol of
// protocol.ts over one WebSocket, and renders everything with textContent (never innerHTML),
// so a message cannot inject markup into other people's pages.

const $ = (id) => document.getElementById(id);
const status = $("status");
const roomsList = $("rooms");
const messages = $("messages");
const sendForm = $("send-form");
const roomSelect = $("room");
const textInput = $("text");
const nameInput = $("name");

const joined = new Set();
const socket = new WebSocket(
  `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`,
);

const send = (frame) => {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
};

function line(className, parts) {
  const item = document.createElement("li");
  item.className = className;
  for (const [cls, text] of parts) {
    const span = document.createElement("span");
    if (cls) span.className = cls;
    span.textContent = text;
    item.append(span);
  }
  const atBottom = messages.scrollTop + messages.clientHeight >= messages.scrollHeight - 4;
  messages.append(item);
  if (atBottom) item.scrollIntoView({ block: "end" });
}

function renderRooms(rooms) {
  roomsList.replaceChildren(
    ...rooms.map((room) => {
      const item = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = `#${room}`;
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.room = room;
      button.textContent = joined.has(room) ? "Leave" : "Join";
      button.addEventListener("click", () =>
        send(joined.has(room) ? { type: "leave", room } : { type: "join", room, echo: true }),
      );
      item.append(label, button);
      return item;
    }),
  );
  const selected = roomSelect.value;
  roomSelect.replaceChildren(
    ...[...joined].map((room) => {
      const option = document.createElement("option");
      option.value = room;
      option.textContent = `#${room}`;
      return option;
    }),
  );
  if (joined.has(selected)) roomSelect.value = selected;
  const disabled = joined.size === 0;
  for (const control of [roomSelect, textInput, sendForm.querySelector("button")]) {
    control.disabled = disabled;
  }
}

let allRooms = [];

socket.addEventListener("open", () => {
  status.textContent = "connected";
});

socket.addEventListener("close", (event) => {
  status.textContent = `disconnected (${event.code}); reload to reconnect`;
  joined.clear();
  renderRooms(allRooms);
});

socket.addEventListener("message", (event) => {
  const frame = JSON.parse(event.data);
  switch (frame.type) {
    case "welcome":
      allRooms = frame.rooms;
      nameInput.value = frame.name;
      status.textContent = `connected as ${frame.name}`;
      renderRooms(allRooms);
      break;
    case "named":
      status.textContent = `connected as ${frame.name}`;
      break;
    case "joined":
      joined.add(frame.room);
      renderRooms(allRooms);
      roomSelect.value = frame.room;
      line("notice", [
        ["room", `#${frame.room}`],
        ["", `you joined; here: ${frame.members.join(", ")}`],
      ]);
      break;
    case "left":
      joined.delete(frame.room);
      renderRooms(allRooms);
      line("notice", [
        ["room", `#${frame.room}`],
        ["", "you left"],
      ]);
      break;
    case "presence":
      line("notice", [
        ["room", `#${frame.room}`],
        ["", `${frame.name} ${frame.action}`],
      ]);
      break;
    case "message":
      line(frame.own ? "message own" : "message", [
        ["room", `#${frame.room}`],
        ["name", frame.name],
        ["text", frame.text],
      ]);
      break;
    case "error":
      line("error", [["", `${frame.code}: ${frame.message}`]]);
      break;
    default:
      break;
  }
});

sendForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textInput.value.trim();
  if (text === "" || !roomSelect.value) return;
  send({ type: "send", room: roomSelect.value, text });
  textInput.value = "";
  textInput.focus();
});

$("name-form").addEventListener("submit", (event) => {
  event.preventDefault();
  send({ type: "name", name: nameInput.value.trim() });
});
