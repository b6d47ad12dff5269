import type { BenchResults } from "./results";

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 180, top: 40, bottom: 55 };

interface Series {
  name: string;
  color: string;
  dashed: boolean;
  points: Array<[number, number]>;
  /** Rates at which this system did not deliver the offered rate (its latency is then the capped backlog). */
  saturated?: Set<number>;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/**
 * Scenario 1 as an SVG line chart: p50 and p99 delivery latency against the offered rate, for the app
 * and its limits (the bare relay, pgbench, the send service in-process). Log-scale latency axis; written by hand, no library.
 */
export function latencyChart(results: BenchResults): string {
  const points = results.scenarios.oneToOne?.points ?? [];
  const appSaturated = new Set(points.filter((p) => p.app.saturated).map((p) => p.rate));
  const bareSaturated = new Set(points.filter((p) => p.bare.saturated).map((p) => p.rate));
  const raw: Series[] = [
    { name: "app p50", color: "#1f6feb", dashed: false, points: points.map((p) => [p.rate, p.app.latency.p50]), saturated: appSaturated },
    { name: "app p99", color: "#1f6feb", dashed: true, points: points.map((p) => [p.rate, p.app.latency.p99]), saturated: appSaturated },
    { name: "bare relay p50", color: "#2da44e", dashed: false, points: points.map((p) => [p.rate, p.bare.latency.p50]), saturated: bareSaturated },
    { name: "bare relay p99", color: "#2da44e", dashed: true, points: points.map((p) => [p.rate, p.bare.latency.p99]), saturated: bareSaturated },
    { name: "pgbench p50", color: "#9a6700", dashed: false, points: points.map((p) => [p.rate, p.pgbench.latency.p50]) },
    { name: "pgbench p99", color: "#9a6700", dashed: true, points: points.map((p) => [p.rate, p.pgbench.latency.p99]) },
    { name: "service in-process p50", color: "#8250df", dashed: false, points: points.map((p) => [p.rate, p.service.latency.p50]) },
    { name: "service in-process p99", color: "#8250df", dashed: true, points: points.map((p) => [p.rate, p.service.latency.p99]) },
  ];
  const series: Series[] = raw.map((each) => ({ ...each, points: each.points.filter(([, value]) => Number.isFinite(value) && value > 0) }));
  const rates = points.map((p) => p.rate);
  const values = series.flatMap((each) => each.points.map(([, y]) => y));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xMax = Math.max(1, ...rates) * 1.05;
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.01, Math.min(...values, 1))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...values, 10)));
  const x = (rate: number) => MARGIN.left + (rate / xMax) * plotW;
  const y = (ms: number) => MARGIN.top + plotH - ((Math.log10(ms) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${escape(`One-to-one delivery latency vs rate (${results.quick ? "quick" : "full"} run, ${results.startedAt.slice(0, 16)})`)}</text>`,
  );
  for (let decade = yMin; decade <= yMax; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const value = decade * step;
      if (value > yMax) break;
      parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/>`);
      parts.push(`<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end" fill="#57606a">${value >= 1 ? value : value.toFixed(2)}</text>`);
    }
  }
  for (const rate of rates) {
    parts.push(`<line x1="${x(rate)}" x2="${x(rate)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${x(rate)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" fill="#57606a">${rate.toLocaleString("en")}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#8c959f"/>`);
  // The spec's targets at 2,000 msg/s: p50 ≤ 5 ms, p99 ≤ 25 ms.
  for (const [value, label] of [
    [5, "target p50 5 ms"],
    [25, "target p99 25 ms"],
  ] as const) {
    if (value < yMin || value > yMax) continue;
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(value)}" y2="${y(value)}" stroke="#cf222e" stroke-dasharray="2 3"/>`);
    parts.push(`<text x="${MARGIN.left + 4}" y="${y(value) - 3}" fill="#cf222e" font-size="10">${label}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">offered rate (messages/s)</text>`);
  parts.push(`<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">latency (ms, log scale)</text>`);
  series.forEach((each, index) => {
    const path = each.points.map(([rate, ms], i) => `${i ? "L" : "M"}${x(rate).toFixed(1)},${y(ms).toFixed(1)}`).join(" ");
    const dash = each.dashed ? ` stroke-dasharray="6 4"` : "";
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${each.color}" stroke-width="2"${dash}/>`);
    for (const [rate, ms] of each.points) {
      parts.push(`<circle cx="${x(rate).toFixed(1)}" cy="${y(ms).toFixed(1)}" r="3" fill="${each.color}"/>`);
      if (each.saturated?.has(rate)) parts.push(`<circle cx="${x(rate).toFixed(1)}" cy="${y(ms).toFixed(1)}" r="7" fill="none" stroke="#cf222e" stroke-width="1.5"/>`);
    }
    const legendY = MARGIN.top + 10 + index * 20;
    const legendX = MARGIN.left + plotW + 16;
    parts.push(`<line x1="${legendX}" x2="${legendX + 26}" y1="${legendY}" y2="${legendY}" stroke="${each.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${legendX + 32}" y="${legendY + 4}">${escape(each.name)}</text>`);
  });
  const noteY = MARGIN.top + 10 + series.length * 20 + 10;
  const noteX = MARGIN.left + plotW + 16;
  parts.push(`<circle cx="${noteX + 13}" cy="${noteY}" r="7" fill="none" stroke="#cf222e" stroke-width="1.5"/>`);
  parts.push(`<text x="${noteX + 32}" y="${noteY + 4}">saturated:</text>`);
  parts.push(`<text x="${noteX + 32}" y="${noteY + 18}" font-size="10">offered rate not</text>`);
  parts.push(`<text x="${noteX + 32}" y="${noteY + 30}" font-size="10">delivered; latency is</text>`);
  parts.push(`<text x="${noteX + 32}" y="${noteY + 42}" font-size="10">the capped backlog</text>`);
  parts.push(`</svg>`);
  return parts.join("\n") + "\n";
}
