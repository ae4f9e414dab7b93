/**
 * A grouped bar chart with spread as a self-contained SVG: one group per
 * configuration, one bar per series (metric), each bar the mean over seeds
 * with an error bar of +-1 sd, round ticks with light gridlines, a legend.
 */
import { escapeXml, niceAxis, textWidth } from '../train/curve.js';

export interface BarValue {
  readonly mean: number;
  readonly std: number;
}

export interface BarGroup {
  readonly label: string;
  /** One per series, in the order of BarChartOptions.series; undefined or a NaN mean: no bar. */
  readonly values: ReadonlyArray<BarValue | undefined>;
}

export interface BarChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly yLabel?: string;
  readonly series: readonly string[];
  readonly groups: readonly BarGroup[];
  readonly colors?: readonly string[];
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2'];

export function barChartSvg(options: BarChartOptions): string {
  const { series, groups } = options;
  const colors = options.colors ?? PALETTE;
  const barW = 30;
  const barGap = 4;
  const groupW = series.length * (barW + barGap) - barGap;
  const groupGap = 34;
  const rotate = groups.some((g) => textWidth(g.label, 11) > groupW + groupGap - 6);
  // Labels slanted at 30 degrees reach left of their group by cos 30 of their width: the plot moves right to keep them in.
  const left = Math.ceil(
    Math.max(74, ...(rotate ? groups.map((g, k) => 0.87 * textWidth(g.label, 11) + 8 - (groupGap + k * (groupW + groupGap) + groupW / 2)) : [])),
  );
  const right = 24;
  const plotW = Math.max(groups.length * (groupW + groupGap) + groupGap, 300);
  const titleW = Math.max(textWidth(options.title, 16) * 1.12, options.subtitle ? textWidth(options.subtitle, 12) : 0);
  const width = Math.ceil(Math.max(left + plotW + right, left + titleW + right, 460));
  const labelRoom = rotate ? Math.min(160, 14 + Math.max(...groups.map((g) => textWidth(g.label, 11))) * 0.5) : 26;
  const top = options.subtitle ? 98 : 80;
  const plotH = 240;
  const bottom = top + plotH;
  const height = bottom + labelRoom + (options.yLabel ? 8 : 0) + 16;
  const f = (v: number) => v.toFixed(1);

  const tops = groups.flatMap((g) => g.values.flatMap((v) => (v && Number.isFinite(v.mean) ? [v.mean + (Number.isFinite(v.std) ? Math.abs(v.std) : 0)] : [])));
  const axis = niceAxis(0, Math.max(0, ...tops), { target: 5, zero: true, headroom: 0.12, snap: false });
  const y = (v: number) => bottom - (plotH * (Math.max(axis.lo, Math.min(axis.hi, v)) - axis.lo)) / (axis.hi - axis.lo);

  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${f(height)}" viewBox="0 0 ${width} ${f(height)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" fill="#222">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text class="title" x="${left}" y="26" font-size="16" font-weight="bold">${escapeXml(options.title)}</text>`);
  if (options.subtitle) out.push(`<text class="subtitle" x="${left}" y="46" fill="#555">${escapeXml(options.subtitle)}</text>`);

  // Legend.
  let lx = left;
  const ly = options.subtitle ? 70 : 52;
  out.push(`<g class="legend">`);
  series.forEach((name, s) => {
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colors[s % colors.length]}"/><text x="${lx + 18}" y="${ly}">${escapeXml(name)}</text>`);
    lx += 18 + textWidth(name, 12) + 20;
  });
  out.push(
    `<line x1="${lx + 6}" y1="${ly - 9}" x2="${lx + 6}" y2="${ly + 1}" stroke="#222"/><line x1="${lx + 2}" y1="${ly - 9}" x2="${lx + 10}" y2="${ly - 9}" stroke="#222"/><line x1="${lx + 2}" y1="${ly + 1}" x2="${lx + 10}" y2="${ly + 1}" stroke="#222"/><text x="${lx + 18}" y="${ly}">&#177;1 sd over seeds</text>`,
  );
  out.push(`</g>`);

  // Gridlines and y ticks.
  out.push(`<g class="y-axis">`);
  for (const t of axis.ticks) {
    out.push(`<line x1="${left}" y1="${f(y(t))}" x2="${left + plotW}" y2="${f(y(t))}" stroke="#e6e6e6"/>`);
    out.push(`<text x="${left - 6}" y="${f(y(t) + 4)}" text-anchor="end" font-size="11">${t.toFixed(axis.decimals)}</text>`);
  }
  if (options.yLabel) {
    const cy = top + plotH / 2;
    out.push(`<text x="20" y="${cy}" transform="rotate(-90 20 ${cy})" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  }
  out.push(`</g>`);

  // Bars, error bars, value labels, group labels.
  groups.forEach((group, g) => {
    const gx = left + groupGap + g * (groupW + groupGap);
    out.push(`<g class="group">`);
    series.forEach((_, s) => {
      const v = group.values[s];
      const bx = gx + s * (barW + barGap);
      const cx = bx + barW / 2;
      if (!v || !Number.isFinite(v.mean)) {
        out.push(`<text x="${f(cx)}" y="${bottom - 4}" text-anchor="middle" font-size="9" fill="#777">n/a</text>`);
        return;
      }
      const sd = Number.isFinite(v.std) ? Math.abs(v.std) : 0;
      out.push(`<rect class="bar" x="${bx}" y="${f(y(v.mean))}" width="${barW}" height="${f(bottom - y(v.mean))}" fill="${colors[s % colors.length]}"/>`);
      const hiY = y(v.mean + sd);
      const loY = y(v.mean - sd);
      if (sd > 0) {
        out.push(
          `<g class="error-bar" stroke="#222" stroke-width="1.2"><line x1="${f(cx)}" y1="${f(loY)}" x2="${f(cx)}" y2="${f(hiY)}"/>` +
            `<line x1="${f(cx - 6)}" y1="${f(hiY)}" x2="${f(cx + 6)}" y2="${f(hiY)}"/><line x1="${f(cx - 6)}" y1="${f(loY)}" x2="${f(cx + 6)}" y2="${f(loY)}"/></g>`,
        );
      }
      out.push(`<text x="${f(cx)}" y="${f(hiY - 5)}" text-anchor="middle" font-size="9">${v.mean.toFixed(3)}</text>`);
    });
    const lx0 = gx + groupW / 2;
    const lyy = bottom + 16;
    out.push(
      rotate
        ? `<text x="${f(lx0)}" y="${lyy}" text-anchor="end" font-size="11" transform="rotate(-30 ${f(lx0)} ${lyy})">${escapeXml(group.label)}</text>`
        : `<text x="${f(lx0)}" y="${lyy}" text-anchor="middle" font-size="11">${escapeXml(group.label)}</text>`,
    );
    out.push(`</g>`);
  });
  out.push(`<line x1="${left}" y1="${bottom}" x2="${left + plotW}" y2="${bottom}" stroke="#444"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#444"/>`);
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}
