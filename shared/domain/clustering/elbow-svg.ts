/**
 * The elbow chart: a self-contained SVG of WCSS (left axis) and sampled silhouette (right axis) against k,
 * with the chosen k marked. Pure string building; every piece of text is escaped.
 */
import type { KSelectionReport } from "./model.js";

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { left: 90, right: 80, top: 56, bottom: 64 };
const WCSS_COLOUR = "#1f77b4";
const SILHOUETTE_COLOUR = "#d62728";

/** Escapes text for SVG/XML content and attribute values. */
function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Short number labels: 1234567 -> "1.23M", 0.0123 -> "0.0123". */
function label(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  if (abs >= 100) return value.toFixed(0);
  return Number(value.toPrecision(3)).toString();
}

/**
 * An axis that fits the data with round ticks: the step is 1, 2, 2.5 or 5 times a power of ten, chosen so
 * about `target` steps cover [low, high], and the ends are moved out to whole steps.
 */
export function niceAxis(
  low: number,
  high: number,
  target = 5,
): { low: number; high: number; ticks: number[] } {
  if (!(high > low)) [low, high] = [low - 1, high + 1];
  const raw = (high - low) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(low / step + 1e-9) * step;
  const last = Math.ceil(high / step - 1e-9) * step;
  const count = Math.round((last - first) / step);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((first + i * step).toPrecision(12)));
  return { low: first, high: last, ticks };
}

/** Renders the k-selection report as an SVG chart (WCSS and silhouette against k, chosen k marked). */
export function renderElbowSvg(report: KSelectionReport): string {
  const candidates = [...report.candidates].sort((a, b) => a.k - b.k);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const kMin = candidates[0]?.k ?? report.chosenK;
  const kMax = Math.max(candidates.at(-1)?.k ?? report.chosenK, kMin + 1);
  const x = (k: number): number => MARGIN.left + ((k - kMin) / (kMax - kMin)) * plotW;
  const wcssValues = candidates.map((c) => c.wcss);
  const wMin = Math.min(...wcssValues, Infinity);
  const wMax = Math.max(...wcssValues, -Infinity);
  const wAxis = Number.isFinite(wMin) ? niceAxis(wMin, wMax) : niceAxis(0, 1);
  const [wLow, wHigh] = [wAxis.low, wAxis.high];
  const yW = (w: number): number => MARGIN.top + (1 - (w - wLow) / (wHigh - wLow)) * plotH;
  const silValues = candidates.flatMap((c) => (c.silhouette === null ? [] : [c.silhouette]));
  // The silhouette axis fits its values (they sit near 0.02 on real data; a fixed 0-0.5 axis flattens them).
  const sAxis =
    silValues.length > 0 ? niceAxis(Math.min(...silValues), Math.max(...silValues)) : niceAxis(0, 0.5);
  const [sLow, sHigh] = [sAxis.low, sAxis.high];
  const yS = (s: number): number => MARGIN.top + (1 - (s - sLow) / (sHigh - sLow)) * plotH;
  const bottom = MARGIN.top + plotH;
  const right = MARGIN.left + plotW;
  const parts: string[] = [];
  const title = `WCSS and silhouette against k (chosen k = ${report.chosenK}, rule: ${report.rule}, confidence: ${report.confidence})`;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<desc>${escapeXml(report.explanation)}</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  );
  // Axes and gridlines.
  parts.push(
    `<line x1="${MARGIN.left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}" stroke="${WCSS_COLOUR}"/>`,
    `<line x1="${right}" y1="${MARGIN.top}" x2="${right}" y2="${bottom}" stroke="${SILHOUETTE_COLOUR}"/>`,
  );
  const step = Math.max(1, Math.ceil((kMax - kMin) / 15));
  for (let k = kMin; k <= kMax; k += step)
    parts.push(
      `<line x1="${x(k)}" y1="${bottom}" x2="${x(k)}" y2="${bottom + 5}" stroke="#333"/>`,
      `<text x="${x(k)}" y="${bottom + 18}" text-anchor="middle">${k}</text>`,
    );
  for (const w of wAxis.ticks)
    parts.push(
      `<line x1="${MARGIN.left}" y1="${yW(w)}" x2="${right}" y2="${yW(w)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 8}" y="${yW(w) + 4}" text-anchor="end" fill="${WCSS_COLOUR}">${escapeXml(label(w))}</text>`,
    );
  for (const s of sAxis.ticks)
    parts.push(
      `<text x="${right + 8}" y="${yS(s) + 4}" fill="${SILHOUETTE_COLOUR}">${escapeXml(label(s))}</text>`,
    );
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 16}" text-anchor="middle">k (number of clusters)</text>`,
    `<text transform="translate(22 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${WCSS_COLOUR}">WCSS (within-cluster sum of squares)</text>`,
    `<text transform="translate(${WIDTH - 14} ${MARGIN.top + plotH / 2}) rotate(90)" text-anchor="middle" fill="${SILHOUETTE_COLOUR}">sampled silhouette</text>`,
  );
  // The chosen k.
  parts.push(
    `<line x1="${x(report.chosenK)}" y1="${MARGIN.top}" x2="${x(report.chosenK)}" y2="${bottom}" stroke="#2ca02c" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<text x="${x(report.chosenK) + 6}" y="${MARGIN.top + 14}" fill="#2ca02c">${escapeXml(`chosen k = ${report.chosenK} (${report.confidence})`)}</text>`,
  );
  // The two series.
  const wcssPoints = candidates.map((c) => `${x(c.k).toFixed(1)},${yW(c.wcss).toFixed(1)}`);
  if (wcssPoints.length > 0)
    parts.push(
      `<polyline fill="none" stroke="${WCSS_COLOUR}" stroke-width="2" points="${wcssPoints.join(" ")}"/>`,
    );
  for (const c of candidates)
    parts.push(
      `<circle cx="${x(c.k).toFixed(1)}" cy="${yW(c.wcss).toFixed(1)}" r="3" fill="${WCSS_COLOUR}"><title>${escapeXml(`k = ${c.k}: WCSS ${c.wcss}`)}</title></circle>`,
    );
  const silPoints = candidates.flatMap((c) =>
    c.silhouette === null ? [] : [`${x(c.k).toFixed(1)},${yS(c.silhouette).toFixed(1)}`],
  );
  if (silPoints.length > 0)
    parts.push(
      `<polyline fill="none" stroke="${SILHOUETTE_COLOUR}" stroke-width="2" stroke-dasharray="4 3" points="${silPoints.join(" ")}"/>`,
    );
  // Legend.
  parts.push(
    `<line x1="${MARGIN.left + 10}" y1="${MARGIN.top - 14}" x2="${MARGIN.left + 34}" y2="${MARGIN.top - 14}" stroke="${WCSS_COLOUR}" stroke-width="2"/>`,
    `<text x="${MARGIN.left + 40}" y="${MARGIN.top - 10}">WCSS</text>`,
    `<line x1="${MARGIN.left + 100}" y1="${MARGIN.top - 14}" x2="${MARGIN.left + 124}" y2="${MARGIN.top - 14}" stroke="${SILHOUETTE_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>`,
    `<text x="${MARGIN.left + 130}" y="${MARGIN.top - 10}">silhouette</text>`,
    "</svg>",
  );
  return parts.join("\n");
}
