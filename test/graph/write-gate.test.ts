import { describe, expect, it } from 'vitest';
import { WriteGate } from '../../src/graph/write-gate.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WriteGate', () => {
  it('runs shared work side by side', async () => {
    const gate = new WriteGate();
    let running = 0;
    let most = 0;
    const job = () =>
      gate.shared(async () => {
        running += 1;
        most = Math.max(most, running);
        await tick(10);
        running -= 1;
      });
    await Promise.all([job(), job(), job()]);
    expect(most).toBe(3);
  });

  it('runs exclusive work after the shared work in flight and before shared work that came later', async () => {
    const gate = new WriteGate();
    const log: string[] = [];
    const shared = (name: string, ms: number) =>
      gate.shared(async () => {
        log.push(`${name} start`);
        await tick(ms);
        log.push(`${name} end`);
      });
    const first = shared('a', 30);
    const second = shared('b', 10);
    await tick(1);
    const alone = gate.exclusive(async () => {
      log.push('x start');
      await tick(10);
      log.push('x end');
      return 'done';
    });
    const late = shared('c', 1);
    expect(await alone).toBe('done');
    await Promise.all([first, second, late]);
    expect(log).toEqual(['a start', 'b start', 'b end', 'a end', 'x start', 'x end', 'c start', 'c end']);
  });

  it('runs two exclusive jobs one after the other and releases the gate when work throws', async () => {
    const gate = new WriteGate();
    let running = 0;
    let most = 0;
    const alone = (fail: boolean) =>
      gate.exclusive(async () => {
        running += 1;
        most = Math.max(most, running);
        await tick(5);
        running -= 1;
        if (fail) throw new Error('deadlock');
      });
    const results = await Promise.allSettled([alone(true), alone(false), gate.shared(async () => 'after')]);
    expect(most).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });
});
