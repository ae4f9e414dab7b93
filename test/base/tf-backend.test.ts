import { describe, expect, it } from 'vitest';
import { backendCapabilities, capabilitiesOf, type BackendCapabilities } from '../../src/base/tf-backend.js';
import { selectBackend } from '../../src/train/backend.js';

const on = (...names: (keyof BackendCapabilities)[]) => Object.fromEntries(Object.keys(capabilitiesOf('none')).map((k) => [k, names.includes(k as keyof BackendCapabilities)]));

describe('backend capabilities', () => {
  it('say per backend what the callers decide: the paths each backend took when they compared names', () => {
    expect(capabilitiesOf('tensorflow')).toEqual(on('nativeSegmentSum', 'rankByItemBlocks', 'matMulTransposeA'));
    expect(capabilitiesOf('wasm')).toEqual(on('rankOnWorkerThreads', 'heapViews'));
    expect(capabilitiesOf('cpu')).toEqual(on('rankOnWorkerThreads'));
    expect(capabilitiesOf('webgpu')).toEqual(on('asyncReadsRequired'));
    // Any other backend takes every plain path.
    expect(Object.values(capabilitiesOf('webgl')).some(Boolean)).toBe(false);
    expect(Object.values(capabilitiesOf('toString')).some(Boolean)).toBe(false);
  });

  it('are those of the backend active now', async () => {
    const choice = await selectBackend('auto');
    expect(backendCapabilities()).toBe(capabilitiesOf(choice.name));
    await selectBackend('cpu');
    expect(backendCapabilities()).toBe(capabilitiesOf('cpu'));
    await selectBackend(choice.name as 'tensorflow' | 'wasm');
  });
});
