// The jobs dashboard's page: renders what the server pushes over /ws (a snapshot on connect,
// then one message per job event, per task-monitor event and per second), and reconnects if
// the connection drops. Text only goes in through textContent: job names are never markup.

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 600;
const HEIGHT = 200;
const MAX_LOG = 25;
const names = ["enqueued", "started", "succeeded", "retried", "dead"];
let series = [];

function showTotals(totals) {
  for (const name of names) $(name).textContent = String(totals[name]);
}

function showProgress(progress) {
  if (!progress) return;
  const done = progress.finished + progress.failed;
  $("progress").max = Math.max(1, progress.total);
  $("progress").value = done;
  $("progress-text").textContent =
    `${done} of ${progress.total} done (${progress.finished} delivered, ${progress.failed} failed), ${progress.running} running`;
}

function drawGrid(max) {
  const grid = $("grid");
  grid.replaceChildren();
  for (let i = 1; i < 4; i++) {
    const line = document.createElementNS(SVG, "line");
    const y = String((HEIGHT * i) / 4);
    line.setAttribute("x1", "0");
    line.setAttribute("x2", String(WIDTH));
    line.setAttribute("y1", y);
    line.setAttribute("y2", y);
    grid.append(line);
  }
  $("chart-scale").textContent = `Scale: 0 to ${max} per second; grid lines every ${max / 4}`;
}

function showSeries() {
  const max = Math.max(4, ...series.flatMap((b) => [b.succeeded, b.retried, b.dead]));
  const step = WIDTH / Math.max(1, series.length - 1);
  for (const key of ["succeeded", "retried", "dead"]) {
    const points = series.map((b, i) => {
      const y = HEIGHT - 4 - ((HEIGHT - 8) * b[key]) / max;
      return `${(i * step).toFixed(1)},${y.toFixed(1)}`;
    });
    $(`line-${key}`).setAttribute("points", points.join(" "));
  }
  drawGrid(max);
  const total = series.reduce((sum, b) => sum + b.succeeded + b.retried + b.dead, 0);
  $("chart").dataset.total = String(total);
  const last10 = series.slice(-11, -1).reduce((sum, b) => sum + b.succeeded, 0);
  $("throughput").textContent = (last10 / 10).toFixed(1);
}

function log(message) {
  const item = document.createElement("li");
  item.className = message.type;
  const type = document.createElement("span");
  type.className = "type";
  type.textContent = message.type;
  item.append(type, ` ${message.label}${message.detail ? ` · ${message.detail}` : ""}`);
  $("log").prepend(item);
  while ($("log").children.length > MAX_LOG) $("log").lastElementChild.remove();
}

function connect() {
  const socket = new WebSocket(
    `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`,
  );
  socket.addEventListener("open", () => {
    $("status").textContent = "Live";
  });
  socket.addEventListener("message", (frame) => {
    const message = JSON.parse(frame.data);
    switch (message.kind) {
      case "snapshot":
        $("mode").textContent = message.mode ? `· ${message.mode}` : "";
        showTotals(message.totals);
        showProgress(message.progress);
        series = message.series;
        showSeries();
        break;
      case "job":
        showTotals(message.totals);
        log(message);
        break;
      case "progress":
        showProgress(message.progress);
        break;
      case "tick":
        series = message.series;
        showSeries();
        break;
    }
  });
  socket.addEventListener("close", () => {
    $("status").textContent = "Disconnected, reconnecting…";
    setTimeout(connect, 1000);
  });
}

connect();
