/**
 * The training curve as a self-contained SVG: two stacked panels on one epoch
 * axis, training loss above and the validation metric below (they have
 * different scales), round ticks with light gridlines, a legend, vertical
 * markers at the kept (best) epoch and where training stopped, and a title
 * that names the run.
 */
import type { EpochRecord } from '../../train/trainer.js';

export interface TrainingCurveOptions {
  readonly epochs: readonly EpochRecord[];
  /** The selection metric, a key of EpochRecord.validation (e.g. recall@20). */
  readonly metric: string;
  readonly dataset: string;
  readonly model: string;
  readonly sampler: string;
  readonly seed: number;
  readonly backend: string;
  /** Test recall@20 of the kept model, shown under the title. */
  readonly testRecallAt20?: number;
  /** The epoch whose parameters were kept (TrainResult.bestEpoch). */
  readonly bestEpoch: number;
  /** Where training stopped; the last epoch recorded when absent. */
  readonly stoppedAt?: number;
  /** Why it stopped, e.g. "no gain in 5 evaluations" (reporter.ts stopReason). */
  readonly reason?: string;
}

const COLORS = { loss: '#1f77b4', metric: '#d62728', kept: '#2ca02c', stopped: '#7f7f7f', grid: '#e6e6e6', axis: '#444', text: '#222', muted: '#555' };

/** The training curve of one run. */
export function trainingCurve(options: TrainingCurveOptions): string {
  const { epochs, metric, bestEpoch } = options;
  const stoppedAt = options.stoppedAt ?? lastEpoch(epochs);
  const kept = validationAt(epochs, bestEpoch, metric);
  const notes = [
    `kept epoch ${bestEpoch}${kept === undefined ? '' : ` (valid ${metric} ${kept.toFixed(4)})`}`,
    `stopped at epoch ${stoppedAt}${options.reason ? `: ${options.reason}` : ''}`,
    ...(options.testRecallAt20 === undefined || !Number.isFinite(options.testRecallAt20) ? [] : [`test recall@20 ${options.testRecallAt20.toFixed(4)}`]),
  ];
  const title = `${options.dataset}: ${options.model} + ${options.sampler}, seed ${options.seed}, ${options.backend}`;
  return renderCurve({ title, subtitle: notes, epochs, metric, bestEpoch, stoppedAt });
}

/**
 * The former signature, kept for callers that only have a title: the kept
 * epoch is the best validated one (the last epoch without validation) and the
 * stop is the last epoch recorded.
 */
export function trainingCurveSvg(title: string, epochs: readonly EpochRecord[], metric: string): string {
  let bestEpoch = lastEpoch(epochs);
  let best = Number.NEGATIVE_INFINITY;
  for (const e of epochs) {
    const value = e.validation?.[metric];
    if (value !== undefined && Number.isFinite(value) && value > best) {
      best = value;
      bestEpoch = e.epoch;
    }
  }
  const kept = validationAt(epochs, bestEpoch, metric);
  const subtitle = [`kept epoch ${bestEpoch}${kept === undefined ? '' : ` (valid ${metric} ${kept.toFixed(4)})`}`, `last epoch ${lastEpoch(epochs)}`];
  return renderCurve({ title, subtitle, epochs, metric, bestEpoch, stoppedAt: lastEpoch(epochs) });
}

// ---------------------------------------------------------------- axes

/** The round steps (1, 2 or 5 times a power of ten) near span / target, smallest first. */
export function roundSteps(span: number, target = 5): number[] {
  if (!Number.isFinite(span) || span <= 0) return [1];
  const power = 10 ** Math.floor(Math.log10(span / Math.max(1, target)));
  return [1, 2, 5, 10, 20, 50].map((m) => clean(m * power));
}

/** A round step (1, 2 or 5 times a power of ten) that cuts span into about `target` intervals. */
export function niceStep(span: number, target = 5): number {
  return pickStep(0, span, target);
}

function pickStep(lo: number, hi: number, target: number): number {
  let best = 1;
  let bestMiss = Number.POSITIVE_INFINITY;
  for (const step of roundSteps(hi - lo, target)) {
    const intervals = Math.ceil(hi / step - 1e-9) - Math.floor(lo / step + 1e-9);
    const miss = Math.abs(intervals - target);
    // Ties go to the smaller step: more gridlines to read values against.
    if (miss < bestMiss) {
      best = step;
      bestMiss = miss;
    }
  }
  return best;
}

export interface NiceAxis {
  readonly lo: number;
  readonly hi: number;
  readonly step: number;
  readonly ticks: readonly number[];
  /** Decimals that print every tick exactly. */
  readonly decimals: number;
}

export interface NiceAxisOptions {
  readonly target?: number;
  /** Room above the highest value, as a share of the data's span (the top tick lies above it). */
  readonly headroom?: number;
  /** Start at zero: always, never, or when the data's minimum is under half its maximum ('auto'). */
  readonly zero?: boolean | 'auto';
  /** Steps of at least 1 (epochs). */
  readonly integer?: boolean;
  /** Extend hi to the next tick (default); false: hi is the data's top plus headroom and the ticks stop at or under it. */
  readonly snap?: boolean;
}

/** An axis from min to max on round ticks: lo and hi are multiples of the step, lo <= min, hi >= max (> max with headroom). */
export function niceAxis(min: number, max: number, options: NiceAxisOptions = {}): NiceAxis {
  const { target = 5, headroom = 0, zero = 'auto', integer = false, snap = true } = options;
  let lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : 1;
  if (lo > hi) [lo, hi] = [hi, lo];
  const nonNegative = lo >= 0;
  const fromZero = zero === true || (zero === 'auto' && lo > 0 && lo < hi / 2);
  if (fromZero) lo = Math.min(lo, 0);
  if (hi === lo) {
    const spread = Math.abs(hi) * 0.1 || (integer ? 1 : 0.1);
    hi += spread;
    lo = nonNegative ? Math.max(0, lo - spread) : lo - spread;
  }
  const span = hi - lo;
  hi += headroom * span;
  // A zoomed axis gets the same room under the lowest value (not below zero for data that is not).
  if (!fromZero && lo !== 0) lo = nonNegative ? Math.max(0, lo - headroom * span) : lo - headroom * span;
  let step = pickStep(lo, hi, target);
  if (integer) step = Math.max(1, Math.round(step));
  const axisLo = clean(Math.floor(lo / step + 1e-9) * step);
  const lastTick = clean((snap ? Math.ceil(hi / step - 1e-9) : Math.floor(hi / step + 1e-9)) * step);
  const count = Math.round((lastTick - axisLo) / step);
  const ticks = Array.from({ length: count + 1 }, (_, k) => clean(axisLo + k * step));
  return { lo: axisLo, hi: snap ? lastTick : clean(hi), step, ticks, decimals: Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)) };
}

function clean(value: number): number {
  return Number(value.toPrecision(12)) + 0;
}

// ---------------------------------------------------------------- picture

interface CurveLayout {
  readonly title: string;
  /** Notes under the title, joined by '; ' and wrapped to the width. */
  readonly subtitle: readonly string[];
  readonly epochs: readonly EpochRecord[];
  readonly metric: string;
  readonly bestEpoch: number;
  readonly stoppedAt: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Rough width of a text in the sans-serif used here (for placing labels). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.55;
}

function renderCurve(layout: CurveLayout): string {
  const { epochs, metric, bestEpoch, stoppedAt } = layout;
  const width = 780;
  const left = 74;
  const right = 28;
  const plotW = width - left - right;
  const panelH = 170;
  const subtitle = wrapNotes(layout.subtitle, plotW + right - 8, 12);
  const ly = 48 + 16 * subtitle.length;
  const lossTop = ly + 16;
  const metricTop = lossTop + panelH + 26;
  const bottom = metricTop + panelH;
  const height = bottom + 52;
  const f = (v: number) => v.toFixed(1);

  const lossPoints = epochs.filter((e) => Number.isFinite(e.loss)).map((e) => [e.epoch, e.loss] as const);
  const metricPoints = epochs.flatMap((e) => {
    const v = e.validation?.[metric];
    return v !== undefined && Number.isFinite(v) ? [[e.epoch, v] as const] : [];
  });
  const maxEpoch = Math.max(1, lastEpoch(epochs), bestEpoch, stoppedAt);
  const xAxis = niceAxis(0, maxEpoch, { target: 8, zero: true, integer: true });
  // The last tick stays 12 px inside the frame, so that a marker at the last epoch is not hidden by it.
  const x = (epoch: number) => left + ((plotW - 12) * (epoch - xAxis.lo)) / (xAxis.hi - xAxis.lo);
  const yAxisOf = (values: readonly number[]) =>
    values.length ? niceAxis(Math.min(...values), Math.max(...values), { target: 4, headroom: 0.1, snap: false }) : niceAxis(0, 1, { target: 4 });
  const lossAxis = yAxisOf(lossPoints.map((p) => p[1]));
  const metricAxis = yAxisOf(metricPoints.map((p) => p[1]));
  const yIn = (axis: NiceAxis, top: number) => (v: number) => top + panelH - (panelH * (v - axis.lo)) / (axis.hi - axis.lo);
  const yLoss = yIn(lossAxis, lossTop);
  const yMetric = yIn(metricAxis, metricTop);

  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" fill="${COLORS.text}">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text class="title" x="${left}" y="26" font-size="16" font-weight="bold">${escapeXml(layout.title)}</text>`);
  subtitle.forEach((line, k) => out.push(`<text class="subtitle" x="${left}" y="${46 + 16 * k}" font-size="12" fill="${COLORS.muted}">${escapeXml(line)}</text>`));

  // Legend, one row under the title.
  const legend: Array<{ label: string; color: string; dash?: string; dot?: boolean }> = [
    { label: 'training loss', color: COLORS.loss },
    { label: `validation ${metric}`, color: COLORS.metric, dot: true },
    { label: 'kept epoch', color: COLORS.kept, dash: '5 3' },
    { label: 'stopped', color: COLORS.stopped, dash: '2 3' },
  ];
  let lx = left;
  out.push(`<g class="legend">`);
  for (const item of legend) {
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${item.color}" stroke-width="2"${item.dash ? ` stroke-dasharray="${item.dash}"` : ''}/>` +
        (item.dot ? `<circle cx="${lx + 12}" cy="${ly - 4}" r="3" fill="${item.color}"/>` : '') +
        `<text x="${lx + 30}" y="${ly}">${escapeXml(item.label)}</text>`,
    );
    lx += 30 + textWidth(item.label, 12) + 22;
  }
  out.push(`</g>`);

  // Panels: gridlines, frame, y ticks, y label.
  const panel = (top: number, axis: NiceAxis, y: (v: number) => number, label: string, color: string, name: string) => {
    out.push(`<g class="panel-${name}">`);
    for (const t of xAxis.ticks) out.push(`<line x1="${f(x(t))}" y1="${top}" x2="${f(x(t))}" y2="${top + panelH}" stroke="${COLORS.grid}"/>`);
    for (const t of axis.ticks) {
      out.push(`<line x1="${left}" y1="${f(y(t))}" x2="${left + plotW}" y2="${f(y(t))}" stroke="${COLORS.grid}"/>`);
      out.push(`<text x="${left - 6}" y="${f(y(t) + 4)}" text-anchor="end" font-size="11">${t.toFixed(axis.decimals)}</text>`);
    }
    out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${panelH}" fill="none" stroke="${COLORS.axis}"/>`);
    const cy = top + panelH / 2;
    out.push(`<text x="20" y="${cy}" transform="rotate(-90 20 ${cy})" text-anchor="middle" fill="${color}">${escapeXml(label)}</text>`);
    out.push(`</g>`);
  };
  panel(lossTop, lossAxis, yLoss, 'training loss', COLORS.loss, 'loss');
  panel(metricTop, metricAxis, yMetric, `valid ${metric}`, COLORS.metric, 'metric');

  // Epoch axis under the lower panel.
  out.push(`<g class="x-axis">`);
  for (const t of xAxis.ticks) out.push(`<text x="${f(x(t))}" y="${bottom + 16}" text-anchor="middle" font-size="11">${t}</text>`);
  out.push(`<text x="${left + plotW / 2}" y="${bottom + 38}" text-anchor="middle">epoch</text>`);
  out.push(`</g>`);

  // Markers: kept and stopped, across both panels.
  const markers: Array<{ epoch: number; label: string; color: string; dash: string; cls: string }> = [];
  const kept = validationAt(epochs, bestEpoch, metric);
  const keptLabel = `kept: epoch ${bestEpoch}${kept === undefined ? '' : ` (${kept.toFixed(4)})`}`;
  if (bestEpoch === stoppedAt) markers.push({ epoch: bestEpoch, label: `${keptLabel}, stopped there`, color: COLORS.kept, dash: '5 3', cls: 'marker-kept marker-stopped' });
  else {
    markers.push({ epoch: bestEpoch, label: keptLabel, color: COLORS.kept, dash: '5 3', cls: 'marker-kept' });
    markers.push({ epoch: stoppedAt, label: `stopped: epoch ${stoppedAt}`, color: COLORS.stopped, dash: '2 3', cls: 'marker-stopped' });
  }
  const placed: Array<{ row: number; x1: number; x2: number }> = [];
  for (const [k, m] of markers.entries()) {
    const mx = x(m.epoch);
    out.push(`<g class="${m.cls}">`);
    out.push(`<line x1="${f(mx)}" y1="${lossTop}" x2="${f(mx)}" y2="${bottom}" stroke="${m.color}" stroke-width="1.5" stroke-dasharray="${m.dash}"/>`);
    // Labels sit at the bottom of the metric panel (the metric rises, so that corner is free), one per row, left or right of the line.
    const w = textWidth(m.label, 11);
    const sides: Array<'left' | 'right'> = k === 0 && markers.length > 1 ? ['left', 'right'] : ['right', 'left'];
    let spot: { row: number; side: 'left' | 'right' } | undefined;
    for (let row = 0; row < 3 && !spot; row += 1) {
      for (const side of sides) {
        const x1 = side === 'right' ? mx + 5 : mx - 5 - w;
        const x2 = x1 + w;
        if (x1 < left + 2 || x2 > left + plotW - 2) continue;
        if (placed.some((p) => p.row === row && p.x1 < x2 + 14 && x1 < p.x2 + 14)) continue;
        spot = { row, side };
        placed.push({ row, x1, x2 });
        break;
      }
    }
    spot ??= { row: k, side: mx > left + plotW / 2 ? 'left' : 'right' };
    const ty = bottom - 8 - 16 * spot.row;
    out.push(
      `<text x="${f(spot.side === 'right' ? mx + 5 : mx - 5)}" y="${ty}" text-anchor="${spot.side === 'right' ? 'start' : 'end'}" font-size="11" fill="${m.color}" stroke="white" stroke-width="3" paint-order="stroke">${escapeXml(m.label)}</text>`,
    );
    out.push(`</g>`);
  }

  // Curves.
  const path = (points: ReadonlyArray<readonly [number, number]>, y: (v: number) => number) =>
    points.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${f(x(px))},${f(y(py))}`).join(' ');
  if (lossPoints.length > 1) out.push(`<path class="curve-loss" d="${path(lossPoints, yLoss)}" fill="none" stroke="${COLORS.loss}" stroke-width="2" stroke-linejoin="round"/>`);
  else if (lossPoints.length === 1) out.push(`<circle class="curve-loss" cx="${f(x(lossPoints[0]![0]))}" cy="${f(yLoss(lossPoints[0]![1]))}" r="3" fill="${COLORS.loss}"/>`);
  if (metricPoints.length > 1) out.push(`<path class="curve-metric" d="${path(metricPoints, yMetric)}" fill="none" stroke="${COLORS.metric}" stroke-width="2" stroke-linejoin="round"/>`);
  if (metricPoints.length <= 80) {
    for (const [e, v] of metricPoints) out.push(`<circle cx="${f(x(e))}" cy="${f(yMetric(v))}" r="2.5" fill="${COLORS.metric}"/>`);
  }
  if (kept !== undefined) out.push(`<circle class="kept-point" cx="${f(x(bestEpoch))}" cy="${f(yMetric(kept))}" r="5.5" fill="none" stroke="${COLORS.kept}" stroke-width="2"/>`);
  if (metricPoints.length === 0) {
    out.push(`<text x="${left + plotW / 2}" y="${metricTop + panelH / 2}" text-anchor="middle" fill="${COLORS.muted}">no validation in this run</text>`);
  }
  if (lossPoints.length === 0) out.push(`<text x="${left + plotW / 2}" y="${lossTop + panelH / 2}" text-anchor="middle" fill="${COLORS.muted}">no epochs recorded</text>`);
  out.push(`</svg>`);
  return `${out.join('\n')}\n`;
}

/** Notes joined by '; ', a new line where the next would pass the width. */
function wrapNotes(notes: readonly string[], width: number, fontSize: number): string[] {
  const lines: string[] = [];
  for (const note of notes) {
    const last = lines.length ? lines[lines.length - 1]! : undefined;
    if (last !== undefined && textWidth(`${last}; ${note}`, fontSize) <= width) lines[lines.length - 1] = `${last}; ${note}`;
    else lines.push(note);
  }
  return lines;
}

function lastEpoch(epochs: readonly EpochRecord[]): number {
  return epochs.length ? epochs[epochs.length - 1]!.epoch : 0;
}

function validationAt(epochs: readonly EpochRecord[], epoch: number, metric: string): number | undefined {
  const value = epochs.find((e) => e.epoch === epoch)?.validation?.[metric];
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}
