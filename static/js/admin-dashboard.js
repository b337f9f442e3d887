/* The organisers' live dashboard (/admin): fetches /api/v1/dashboard every few seconds
 * while the page is on screen and draws arrivals and registrations as SVG bar charts and
 * capacities as gauges. No library: a few dozen bars need none. The page's data-*
 * attributes give the API's address, its header, the refresh period and the words. */

const root = document.getElementById("dashboard");
const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#0b6bcb", "#1a7f37", "#b26a00", "#8250df", "#c62828", "#0a7c86", "#6e7781", "#bf3989"];
const HEIGHT = 200;
const PAD = { top: 10, right: 8, bottom: 22, left: 34 };
let last = null;

function word(name, values = {}) {
  let text = root.dataset[`text${name}`] || "";
  for (const [key, value] of Object.entries(values)) text = text.replace(`{${key}}`, value);
  return text;
}

function svgElement(tag, attributes, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function niceMax(value) {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return value;
}

/** Stacked bars: labels along the bottom, one stack of series counts above each label. */
function barChart(container, labels, series, summary) {
  container.textContent = "";
  if (!labels.length) {
    const empty = document.createElement("p");
    empty.className = "empty";
    empty.textContent = word("Empty");
    container.appendChild(empty);
    return;
  }
  const width = Math.max(280, Math.round(container.clientWidth || 600));
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + s.counts[i], 0));
  const top = niceMax(Math.max(...totals, 1));
  const svg = svgElement("svg", { viewBox: `0 0 ${width} ${HEIGHT}`, role: "img", "aria-label": summary });
  for (const fraction of [0, 0.5, 1]) {
    const y = PAD.top + plotHeight * (1 - fraction);
    svgElement("line", { x1: PAD.left, x2: width - PAD.right, y1: y, y2: y, class: "grid" }, svg);
    const tick = svgElement("text", { x: PAD.left - 4, y: y + 4, "text-anchor": "end" }, svg);
    tick.textContent = String(Math.round(top * fraction));
  }
  const slot = plotWidth / labels.length;
  const barWidth = Math.max(1, slot * 0.8);
  const every = Math.max(1, Math.ceil(labels.length / Math.floor(plotWidth / 48)));
  labels.forEach((label, i) => {
    const x = PAD.left + slot * i + (slot - barWidth) / 2;
    let y = PAD.top + plotHeight;
    series.forEach((s) => {
      if (!s.counts[i]) return;
      const h = (s.counts[i] / top) * plotHeight;
      y -= h;
      const bar = svgElement("rect", { x, y, width: barWidth, height: h, fill: s.colour }, svg);
      svgElement("title", {}, bar).textContent = `${label} · ${s.name}: ${s.counts[i]}`;
    });
    if (i % every === 0) {
      const text = svgElement("text", { x: PAD.left + slot * i + slot / 2, y: HEIGHT - 6, "text-anchor": "middle" }, svg);
      text.textContent = label;
    }
  });
  container.appendChild(svg);
}

function legend(list, series) {
  list.textContent = "";
  series.forEach((s) => {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = s.colour;
    const colon = root.dataset.lang === "zh" ? "：" : ": ";
    item.append(swatch, `${s.name}${colon}${s.counts.reduce((a, b) => a + b, 0)}`);
    list.appendChild(item);
  });
}

function gauges(container, rows) {
  container.textContent = "";
  rows.forEach((row) => {
    const gauge = document.createElement("div");
    gauge.className = "gauge";
    const share = row.capacity ? row.taken / row.capacity : 0;
    if (row.capacity && share >= 1) gauge.classList.add("full");
    else if (row.capacity && share >= 0.9) gauge.classList.add("nearly");
    const name = document.createElement("span");
    name.className = "gauge-name";
    name.textContent = row.starts ? `${row.name} · ${row.starts}` : row.name;
    const figure = document.createElement("span");
    figure.className = "gauge-figure";
    figure.textContent = row.capacity ? `${row.taken} / ${row.capacity}` : `${row.taken} · ${word("NoLimit")}`;
    const bar = document.createElement("span");
    bar.className = "gauge-bar";
    const fill = document.createElement("span");
    fill.style.width = `${Math.min(100, Math.round(share * 100))}%`;
    bar.appendChild(fill);
    gauge.append(name, figure, bar);
    container.appendChild(gauge);
  });
}

function coloured(series, nameOf) {
  return series.map((s, i) => ({ ...s, name: nameOf(s), colour: s.colour || PALETTE[i % PALETTE.length] }));
}

function draw(data) {
  document.getElementById("dash-checked-in").textContent = data.checked_in;
  document.getElementById("dash-expected").textContent = data.expected;
  document.getElementById("dash-percent").textContent =
    data.expected ? `${Math.round((100 * data.checked_in) / data.expected)}%` : "–";
  const a = data.arrivals;
  const summary = a.labels.length
    ? word("Arrivals", { count: a.total, first: a.labels[0], last: a.labels[a.labels.length - 1] }) : word("Empty");
  const gates = coloured(a.gates, (s) => s.name || word("NoGate"));
  barChart(document.getElementById("chart-gates"), a.labels, gates, summary);
  legend(document.getElementById("legend-gates"), gates);
  const categories = coloured(a.categories, (s) => s.name);
  barChart(document.getElementById("chart-categories"), a.labels, categories, summary);
  legend(document.getElementById("legend-categories"), categories);
  const days = data.registrations_per_day;
  const registered = days.reduce((sum, d) => sum + d.count, 0);
  barChart(document.getElementById("chart-registrations"), days.map((d) => d.day.slice(5)),
    [{ name: "", colour: PALETTE[0], counts: days.map((d) => d.count) }],
    word("Registrations", { count: registered, days: days.length }));
  gauges(document.getElementById("gauges-categories"), data.category_gauges);
  gauges(document.getElementById("gauges-sessions"), data.session_gauges);
}

/** The time of day in the conference's time zone, as the charts' labels are. */
function clock(iso) {
  const options = { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
  try {
    return new Date(iso).toLocaleTimeString(root.dataset.lang === "zh" ? "zh-CN" : "en-GB",
      { ...options, timeZone: root.dataset.timezone });
  } catch {  // a time zone this browser does not know: its own
    return new Date(iso).toLocaleTimeString(undefined, options);
  }
}

async function refresh() {
  if (document.hidden) return;
  const status = document.getElementById("dash-status");
  try {
    const response = await fetch(root.dataset.url, {
      credentials: "same-origin",
      headers: { Accept: "application/json", [root.dataset.headerName]: root.dataset.headerValue },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    last = await response.json();
    draw(last);
    status.textContent = word("Updated", { time: clock(last.generated_at) });
    root.dataset.state = "ready";
  } catch {
    if (last) status.textContent = word("Offline", { time: clock(last.generated_at) });
    root.dataset.state = last ? "stale" : "failed";
  }
}

let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => last && draw(last), 200);
});
document.addEventListener("visibilitychange", refresh);
refresh();
setInterval(refresh, Math.max(2, Number(root.dataset.refresh) || 15) * 1000);
