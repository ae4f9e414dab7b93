import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS_PAGE, optionsPage } from '../../../src/cli/docs/options-page.js';

describe('docs/options.md', () => {
  it('is what the option declarations generate (run npm run docs:options after changing one)', () => {
    expect(readFileSync(OPTIONS_PAGE, 'utf8')).toBe(optionsPage());
  });
});
