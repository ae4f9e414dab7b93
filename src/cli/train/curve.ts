/** The training curve as a self-contained SVG: loss per epoch (left axis) and validation recall (right axis). */
import type { EpochRecord } from '../../train/trainer.js';

export function trainingCurveSvg(title: string, epochs: readonly EpochRecord[], metric: string): string {
  const width = 720;
  const height = 360;
  const pad = { left: 60, right: 60, top: 40, bottom: 45 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const maxEpoch = Math.max(1, ...epochs.map((e) => e.epoch));
  const losses = epochs.map((e) => e.loss).filter(Number.isFinite);
  const lossMin = Math.min(...losses, 0);
  const lossMax = Math.max(...losses, 1e-9);
  const evals = epochs.filter((e) => e.validation?.[metric] !== undefined);
  const metricMax = Math.max(1e-9, ...evals.map((e) => e.validation![metric]!));
  const x = (epoch: number) => pad.left + (w * (epoch - (maxEpoch > 1 ? 1 : 0))) / Math.max(1, maxEpoch - 1);
  const yLoss = (v: number) => pad.top + h - (h * (v - lossMin)) / (lossMax - lossMin || 1);
  const yMetric = (v: number) => pad.top + h - (h * v) / (metricMax * 1.1);
  const path = (points: Array<[number, number]>) => points.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  const lossPath = path(epochs.filter((e) => Number.isFinite(e.loss)).map((e) => [x(e.epoch), yLoss(e.loss)]));
  const metricPath = path(evals.map((e) => [x(e.epoch), yMetric(e.validation![metric]!)]));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>
<line x1="${pad.left}" y1="${pad.top + h}" x2="${pad.left + w}" y2="${pad.top + h}" stroke="#333"/>
<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + h}" stroke="#1f77b4"/>
<line x1="${pad.left + w}" y1="${pad.top}" x2="${pad.left + w}" y2="${pad.top + h}" stroke="#d62728"/>
${ticks
  .map((t) => {
    const lv = lossMin + t * (lossMax - lossMin);
    const mv = t * metricMax * 1.1;
    const ep = Math.round(1 + t * (maxEpoch - 1));
    return `<text x="${pad.left - 6}" y="${yLoss(lv) + 4}" text-anchor="end" fill="#1f77b4">${lv.toFixed(3)}</text>
<text x="${pad.left + w + 6}" y="${yMetric(mv) + 4}" fill="#d62728">${mv.toFixed(3)}</text>
<text x="${x(ep)}" y="${pad.top + h + 16}" text-anchor="middle">${ep}</text>`;
  })
  .join('\n')}
<text x="${pad.left + w / 2}" y="${height - 8}" text-anchor="middle">epoch</text>
<text x="14" y="${pad.top + h / 2}" transform="rotate(-90 14 ${pad.top + h / 2})" text-anchor="middle" fill="#1f77b4">training loss</text>
<text x="${width - 12}" y="${pad.top + h / 2}" transform="rotate(90 ${width - 12} ${pad.top + h / 2})" text-anchor="middle" fill="#d62728">validation ${esc(metric)}</text>
<path d="${lossPath}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<path d="${metricPath}" fill="none" stroke="#d62728" stroke-width="2"/>
${evals.map((e) => `<circle cx="${x(e.epoch).toFixed(1)}" cy="${yMetric(e.validation![metric]!).toFixed(1)}" r="3" fill="#d62728"/>`).join('\n')}
</svg>
`;
}
