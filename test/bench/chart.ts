/**
 * The bench's SVG chart: one panel per corpus size (each on its own linear scale), one horizontal
 * bar per variant, the median labelled at the bar's end. Built as a small element tree; every
 * attribute value and text node goes through one escaper.
 */

export interface ChartBar {
  readonly label: string;
  /** Median wall time in seconds; undefined when the variant failed or did not run. */
  readonly seconds: number | undefined;
  /** Median CPU time (user + system) in seconds, drawn as a tick on the bar. */
  readonly cpuSeconds?: number | undefined;
  /** Shown after the time, e.g. "0.42 × naive", or the failure. */
  readonly note: string;
  readonly color: string;
}

export interface ChartPanel {
  readonly title: string;
  readonly bars: readonly ChartBar[];
}

interface Element {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string | number>>;
  readonly children: readonly (Element | string)[];
}

const el = (name: string, attrs: Record<string, string | number> = {}, ...children: (Element | string)[]): Element => ({ name, attrs, children });

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function serialize(node: Element | string, depth = 0): string {
  if (typeof node === "string") return escape(node);
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => ` ${k}="${escape(typeof v === "number" ? String(Math.round(v * 100) / 100) : v)}"`)
    .join("");
  if (node.children.length === 0) return `<${node.name}${attrs}/>`;
  const inlineOnly = node.children.every((c) => typeof c === "string");
  if (inlineOnly) return `<${node.name}${attrs}>${node.children.map((c) => serialize(c)).join("")}</${node.name}>`;
  const pad = "  ".repeat(depth + 1);
  return `<${node.name}${attrs}>\n${node.children.map((c) => pad + serialize(c, depth + 1)).join("\n")}\n${"  ".repeat(depth)}</${node.name}>`;
}

/** A "nice" axis maximum and tick step for values up to `max`. */
function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}

const fmt = (seconds: number) => (seconds === 0 ? "0" : seconds >= 10 ? seconds.toFixed(1) : seconds >= 1 ? seconds.toFixed(2) : seconds.toFixed(3));

export function renderChart(title: string, subtitle: string, panels: readonly ChartPanel[], legend = ""): string {
  const width = 820;
  const left = 215;
  const right = 200;
  const barHeight = 18;
  const gap = 6;
  const plotWidth = width - left - right;
  const children: Element[] = [
    el("rect", { x: 0, y: 0, width, height: 0, fill: "#ffffff" }),
    el("text", { x: 16, y: 28, "font-size": 18, "font-weight": "bold" }, title),
    el("text", { x: 16, y: 48, "font-size": 12, fill: "#555555" }, subtitle),
  ];
  let y = 70;
  if (legend !== "") {
    children.push(el("text", { x: 16, y: 66, "font-size": 12, fill: "#555555" }, legend));
    y += 16;
  }
  for (const panel of panels) {
    const values = panel.bars.flatMap((b) => [b.seconds ?? 0, b.cpuSeconds ?? 0]);
    const { top, step } = niceScale(Math.max(...values));
    const scale = (s: number) => (s / top) * plotWidth;
    const height = panel.bars.length * (barHeight + gap) + 34;
    const group: Element[] = [el("text", { x: 16, y: y + 14, "font-size": 14, "font-weight": "bold" }, panel.title)];
    const plotTop = y + 24;
    const plotBottom = plotTop + panel.bars.length * (barHeight + gap);
    for (let t = 0; t <= top + step / 2; t += step) {
      const x = left + scale(t);
      group.push(el("line", { x1: x, y1: plotTop - 2, x2: x, y2: plotBottom, stroke: "#e3e3e3", "stroke-width": 1 }));
      group.push(el("text", { x, y: plotBottom + 12, "font-size": 10, fill: "#777777", "text-anchor": "middle" }, `${fmt(t)} s`));
    }
    panel.bars.forEach((bar, i) => {
      const by = plotTop + i * (barHeight + gap);
      group.push(el("text", { x: left - 8, y: by + 13, "font-size": 12, "text-anchor": "end" }, bar.label));
      if (bar.seconds === undefined) {
        group.push(el("text", { x: left + 4, y: by + 13, "font-size": 12, fill: "#b00020" }, bar.note));
        return;
      }
      const w = Math.max(1, scale(bar.seconds));
      group.push(el("rect", { x: left, y: by, width: w, height: barHeight, fill: bar.color, rx: 2 }));
      if (bar.cpuSeconds !== undefined) {
        const cx = left + scale(bar.cpuSeconds);
        group.push(el("line", { x1: cx, y1: by - 2, x2: cx, y2: by + barHeight + 2, stroke: "#111111", "stroke-width": 2 }));
      }
      group.push(el("text", { x: left + Math.max(w, bar.cpuSeconds === undefined ? 0 : scale(bar.cpuSeconds)) + 6, y: by + 13, "font-size": 12 }, `${fmt(bar.seconds)} s${bar.note === "" ? "" : ` · ${bar.note}`}`));
    });
    children.push(el("g", {}, ...group));
    y += height + 14;
  }
  const total = y + 8;
  children[0] = el("rect", { x: 0, y: 0, width, height: total, fill: "#ffffff" });
  const svg = el(
    "svg",
    { xmlns: "http://www.w3.org/2000/svg", width, height: total, viewBox: `0 0 ${width} ${total}`, "font-family": "system-ui, -apple-system, Segoe UI, sans-serif" },
    ...children,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(svg)}\n`;
}
