/** The training-curve and bench bar pictures: well-formed SVG, markers, legend, title, round ticks. Pure: no Neo4j. */
import { describe, expect, it } from 'vitest';
import { barChartSvg } from '../../src/cli/bench/bars.js';
import { niceAxis, niceStep, trainingCurve, trainingCurveSvg } from '../../src/cli/train/curve.js';
import type { EpochRecord } from '../../src/train/trainer.js';

interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

/** A strict little XML parser: balanced tags, quoted unique attributes, known entities only, one root. Throws on anything else. */
function parseXml(source: string): XmlElement {
  const entity = /&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (text: string) => {
    for (let k = text.indexOf('&'); k >= 0; k = text.indexOf('&', k + 1)) {
      entity.lastIndex = k;
      if (!entity.test(text)) throw new Error(`bad entity at ${text.slice(k, k + 12)}`);
    }
  };
  const decode = (text: string) =>
    text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
      e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!,
    );
  const s = source.replace(/^\s*<\?xml[^?]*\?>/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  while (pos < s.length) {
    const lt = s.indexOf('<', pos);
    const text = lt < 0 ? s.slice(pos) : s.slice(pos, lt);
    checkText(text);
    if (text.trim()) {
      if (!stack.length) throw new Error(`text outside the root: ${text.trim().slice(0, 20)}`);
      stack[stack.length - 1]!.text += decode(text);
    }
    if (lt < 0) break;
    const rest = s.slice(lt);
    const close = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(rest);
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== close[1]) throw new Error(`</${close[1]}> closes <${open?.name}>`);
      pos = lt + close[0].length;
      continue;
    }
    const tag = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (!tag) throw new Error(`bad markup at ${rest.slice(0, 40)}`);
    const attrs: Record<string, string> = {};
    for (const m of tag[2]!.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*"([^"<]*)"/g)) {
      if (m[1]! in attrs) throw new Error(`duplicate attribute ${m[1]}`);
      checkText(m[2]!);
      attrs[m[1]!] = decode(m[2]!);
    }
    const element: XmlElement = { name: tag[1]!, attrs, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(element);
    else if (root) throw new Error('a second root element');
    else root = element;
    if (!tag[3]) stack.push(element);
    pos = lt + tag[0].length;
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new Error('no root element');
  return root;
}

function all(root: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (test(e)) found.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return found;
}

const byClass = (root: XmlElement, cls: string) => all(root, (e) => (e.attrs['class'] ?? '').split(' ').includes(cls));
const texts = (root: XmlElement) => all(root, (e) => e.name === 'text').map((e) => e.text);

function isRound(step: number): boolean {
  const power = 10 ** Math.floor(Math.log10(step) + 1e-9);
  const mantissa = Number((step / power).toPrecision(6));
  return [1, 2, 5, 10].includes(mantissa);
}

function epochsOf(count: number, bestAt: number): EpochRecord[] {
  const records: EpochRecord[] = [];
  for (let epoch = 1; epoch <= count; epoch += 1) {
    const base = { epoch, loss: 0.08 + 0.6 * Math.exp(-epoch / 12), meanGradMagnitude: 0.1, falseNegativeRate: 0.01, seconds: 1, sampleSeconds: 0.3, stepSeconds: 0.7, pairsPerSecond: 52_000 };
    records.push(epoch % 5 === 0 ? { ...base, validation: { 'recall@20': 0.2943 - 0.0005 * Math.abs(epoch - bestAt) }, evalSeconds: 0.2 } : base);
  }
  return records;
}

describe('round ticks', () => {
  it('steps are 1, 2 or 5 times a power of ten and the ticks cover the data', () => {
    const cases: Array<[number, number]> = [[0, 0.2846], [0.08, 0.69], [0, 105], [0.61, 0.66], [0, 1], [3, 3], [0, 12_345], [-2.5, 7.3], [1e-5, 3e-5]];
    for (const [min, max] of cases) {
      for (const headroom of [0, 0.1]) {
        for (const snap of [true, false]) {
          const axis = niceAxis(min, max, { headroom, snap });
          expect(isRound(axis.step), `${min}..${max} step ${axis.step}`).toBe(true);
          expect(axis.lo).toBeLessThanOrEqual(min);
          expect(axis.hi).toBeGreaterThanOrEqual(max);
          if (headroom > 0 && max > min) expect(axis.hi).toBeGreaterThan(max);
          for (let k = 1; k < axis.ticks.length; k += 1) expect(axis.ticks[k]! - axis.ticks[k - 1]!).toBeCloseTo(axis.step, 9);
          expect(axis.ticks[0]).toBe(axis.lo);
          expect(axis.ticks[axis.ticks.length - 1]!).toBeLessThanOrEqual(axis.hi + 1e-12);
          for (const t of axis.ticks) expect(Math.abs(Number((t / axis.step).toFixed(6)) % 1)).toBe(0);
        }
      }
    }
  });

  it('picks about the target number of intervals', () => {
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(105, 8)).toBe(20);
    expect(niceStep(300, 6)).toBe(50);
    expect(niceAxis(0, 0.2846, { target: 4, headroom: 0.1, snap: false }).ticks).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceAxis(0, 105, { target: 8, integer: true }).ticks).toEqual([0, 20, 40, 60, 80, 100, 120]);
    expect(niceAxis(0, 3, { target: 8, integer: true }).step).toBe(1);
    // A metric far from zero is zoomed, not squashed against a zero baseline.
    expect(niceAxis(0.61, 0.66).lo).toBeGreaterThan(0.5);
  });
});

describe('trainingCurve', () => {
  const epochs = epochsOf(105, 80);
  const svg = trainingCurve({
    epochs,
    metric: 'recall@20',
    dataset: 'lastfm-kgcn',
    model: 'lightgcn',
    sampler: 'dns',
    seed: 7,
    backend: 'tensorflow',
    testRecallAt20: 0.2811,
    bestEpoch: 80,
    stoppedAt: 105,
    reason: 'no gain in 5 evaluations',
  });
  const root = parseXml(svg);

  it('is a standalone SVG document', () => {
    expect(root.name).toBe('svg');
    expect(root.attrs['xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(root.attrs['viewBox']).toMatch(/^0 0 \d+ \d+$/);
  });

  it('names the run in the title and says what was kept, why it stopped and the test recall', () => {
    const title = byClass(root, 'title')[0]!.text;
    for (const part of ['lastfm-kgcn', 'lightgcn', 'dns', 'seed 7', 'tensorflow']) expect(title).toContain(part);
    const subtitle = byClass(root, 'subtitle').map((e) => e.text).join(' ');
    expect(subtitle).toContain('kept epoch 80 (valid recall@20 0.2943)');
    expect(subtitle).toContain('stopped at epoch 105: no gain in 5 evaluations');
    expect(subtitle).toContain('test recall@20 0.2811');
  });

  it('marks the kept epoch and the stop with labelled vertical lines, the kept one left of the stop', () => {
    const kept = byClass(root, 'marker-kept')[0]!;
    const stopped = byClass(root, 'marker-stopped')[0]!;
    expect(texts(kept).join()).toContain('kept: epoch 80 (0.2943)');
    expect(texts(stopped).join()).toContain('stopped: epoch 105');
    const line = (g: XmlElement) => g.children.find((c) => c.name === 'line')!;
    for (const g of [kept, stopped]) expect(line(g).attrs['x1']).toBe(line(g).attrs['x2']);
    expect(Number(line(kept).attrs['x1'])).toBeLessThan(Number(line(stopped).attrs['x1']));
    expect(byClass(root, 'kept-point')).toHaveLength(1);
  });

  it('has a legend for loss, the validation metric and both markers', () => {
    const legend = texts(byClass(root, 'legend')[0]!);
    expect(legend).toEqual(['training loss', 'validation recall@20', 'kept epoch', 'stopped']);
  });

  it('labels both panels and the epoch axis with round ticks, with headroom above the curves', () => {
    for (const cls of ['panel-loss', 'panel-metric', 'x-axis']) {
      const numbers = texts(byClass(root, cls)[0]!).map(Number).filter((v) => !Number.isNaN(v));
      expect(numbers.length, cls).toBeGreaterThanOrEqual(3);
      const step = numbers[1]! - numbers[0]!;
      expect(isRound(Number(step.toPrecision(6))), `${cls}: ${numbers}`).toBe(true);
      for (let k = 1; k < numbers.length; k += 1) expect(numbers[k]! - numbers[k - 1]!).toBeCloseTo(step, 9);
    }
    // Gridlines in both directions in both panels.
    for (const cls of ['panel-loss', 'panel-metric']) {
      const lines = byClass(root, cls)[0]!.children.filter((c) => c.name === 'line');
      expect(lines.some((l) => l.attrs['x1'] === l.attrs['x2'])).toBe(true);
      expect(lines.some((l) => l.attrs['y1'] === l.attrs['y2'])).toBe(true);
    }
    const frame = (cls: string) => byClass(root, cls)[0]!.children.find((c) => c.name === 'rect')!;
    const top = (cls: string) => Number(frame(cls).attrs['y']);
    const ys = (cls: string) => [...byClass(root, cls)[0]!.attrs['d']!.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...ys('curve-loss'))).toBeGreaterThan(top('panel-loss') + 8);
    expect(Math.min(...ys('curve-metric'))).toBeGreaterThan(top('panel-metric') + 8);
  });

  it('escapes text and survives runs with one epoch, no validation, or nothing', () => {
    const odd = trainingCurve({ epochs: epochsOf(1, 1), metric: 'recall@20', dataset: 'a<b & "c"', model: 'mf', sampler: 'uniform', seed: 1, backend: 'cpu', bestEpoch: 1 });
    expect(byClass(parseXml(odd), 'title')[0]!.text).toContain('a<b & "c"');
    expect(texts(parseXml(odd)).join()).toContain('no validation in this run');
    const none = trainingCurve({ epochs: [], metric: 'recall@20', dataset: 'd', model: 'mf', sampler: 'uniform', seed: 1, backend: 'cpu', bestEpoch: 0 });
    expect(texts(parseXml(none)).join()).toContain('no epochs recorded');
  });

  it('keeps the old signature: the kept epoch is the best validated one', () => {
    const old = parseXml(trainingCurveSvg('lastfm: mf + uniform (seed 1)', epochsOf(40, 25), 'recall@20'));
    expect(byClass(old, 'title')[0]!.text).toBe('lastfm: mf + uniform (seed 1)');
    expect(texts(byClass(old, 'marker-kept')[0]!).join()).toContain('kept: epoch 25');
    expect(texts(byClass(old, 'marker-stopped')[0]!).join()).toContain('stopped: epoch 40');
  });
});

describe('barChartSvg', () => {
  const svg = barChartSvg({
    title: 'lastfm-kgcn: test recall@20 and ndcg@20 over seeds 1, 2, 3',
    subtitle: 'mean over seeds, error bars ±1 sd',
    yLabel: 'test metric',
    series: ['recall@20', 'ndcg@20'],
    groups: [
      { label: 'mf:uniform', values: [{ mean: 0.081, std: 0.004 }, { mean: 0.071, std: 0.003 }] },
      { label: 'lightgcn:dns', values: [{ mean: 0.112, std: 0.005 }, { mean: 0.098, std: 0 }] },
      { label: 'lightgcn:recns:distant:3@tensorflow', values: [{ mean: 0.1, std: 0.01 }, { mean: Number.NaN, std: 0 }] },
    ],
  });
  const root = parseXml(svg);

  it('draws a bar per value with an error bar where there is spread, and n/a for a missing one', () => {
    expect(root.name).toBe('svg');
    expect(byClass(root, 'bar')).toHaveLength(5);
    const errorBars = byClass(root, 'error-bar');
    expect(errorBars).toHaveLength(4);
    // A whisker and two caps each.
    for (const e of errorBars) expect(e.children.filter((c) => c.name === 'line')).toHaveLength(3);
    expect(texts(root)).toContain('n/a');
    expect(texts(root)).toContain('0.081');
  });

  it('has a legend, a title and round y ticks above every error bar', () => {
    expect(texts(byClass(root, 'legend')[0]!)).toEqual(['recall@20', 'ndcg@20', '±1 sd over seeds']);
    expect(byClass(root, 'title')[0]!.text).toContain('over seeds 1, 2, 3');
    const ticks = texts(byClass(root, 'y-axis')[0]!).map(Number).filter((v) => !Number.isNaN(v));
    expect(ticks[0]).toBe(0);
    const step = ticks[1]! - ticks[0]!;
    expect(isRound(Number(step.toPrecision(6)))).toBe(true);
    // The highest mean + sd (0.117) is under the top of the y axis: no whisker is cut.
    const yAxis = root.children.find((c) => c.name === 'line' && c.attrs['x1'] === c.attrs['x2'])!;
    const plotTop = Math.min(Number(yAxis.attrs['y1']), Number(yAxis.attrs['y2']));
    const capTops = byClass(root, 'error-bar').flatMap((e) => e.children.map((c) => Math.min(Number(c.attrs['y1']), Number(c.attrs['y2']))));
    expect(Math.min(...capTops)).toBeGreaterThan(plotTop + 10);
  });
});
