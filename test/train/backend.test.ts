import { describe, expect, it } from 'vitest';
import { KgnegError } from '../../src/graph/errors.js';
import { assertSyncReads, selectBackend } from '../../src/train/backend.js';

describe('backend selection', () => {
  it('auto picks the native backend when it loads, logging what it skipped and why', async () => {
    const lines: string[] = [];
    const choice = await selectBackend('auto', (line) => lines.push(line));
    expect(['tensorflow', 'wasm']).toContain(choice.name);
    if (process.env['KGNEG_REQUIRE_TENSORFLOW'] === '1') expect(choice.name).toBe('tensorflow');
    if (choice.name === 'tensorflow') {
      expect(choice.provider).toMatch(/^@tensorflow\/tfjs-node/);
    } else {
      // Without setup:tensorflow, the log says how to get the native backend.
      expect(choice.skipped.map((s) => s.reason).join('\n')).toMatch(/setup:tensorflow/);
    }
    expect(lines.join('\n')).toContain(`tfjs backend: ${choice.name}`);
  });

  it('webgpu is never picked by auto, and asked for by name it either runs or says in one line why not', async () => {
    const auto = await selectBackend('auto');
    expect(auto.name).not.toBe('webgpu');
    let outcome: string;
    try {
      const choice = await selectBackend('webgpu');
      outcome = choice.name;
    } catch (error) {
      expect(error).toBeInstanceOf(KgnegError);
      const message = (error as KgnegError).message;
      expect(message.split('\n')).toHaveLength(1);
      // No GPU here (the CI machines have none): Dawn loads and finds no adapter.
      expect(message).toMatch(/webgpu backend cannot be used: .*(no GPU adapter|not installed)/);
      expect((error as KgnegError).hint).toMatch(/GPU/);
      outcome = 'refused';
    }
    expect(['webgpu', 'refused']).toContain(outcome);
    // The previous backend is still usable afterwards.
    expect((await selectBackend(auto.name as 'tensorflow' | 'wasm')).name).toBe(auto.name);
  });

  it('an unavailable backend asked for by name is an error with a hint, not a silent fallback', async () => {
    const native = await selectBackend('tensorflow').then(
      () => true,
      (error: unknown) => {
        expect(error).toBeInstanceOf(KgnegError);
        expect((error as KgnegError).hint).toMatch(/setup:tensorflow/);
        return false;
      },
    );
    if (process.env['KGNEG_REQUIRE_TENSORFLOW'] === '1') expect(native).toBe(true);
  });

  it('what reads tensors synchronously is refused on webgpu up front (Node reads it only asynchronously), and accepted elsewhere', () => {
    const choice = (name: string) => ({ name, provider: 'test', gpu: false, skipped: [] });
    expect(() => assertSyncReads(choice('webgpu'), 'model lightgcn')).toThrow(/model lightgcn cannot run on the webgpu backend: it reads tensors back synchronously/);
    for (const name of ['tensorflow', 'wasm', 'cpu']) expect(() => assertSyncReads(choice(name), 'model lightgcn')).not.toThrow();
  });
});
