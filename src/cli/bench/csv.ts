/** RFC 4180 CSV, enough for LOAD CSV: every field quoted, quotes doubled, null as an empty field. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export async function writeCsv(file: string, header: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number> {
  const out = createWriteStream(file);
  const field = (value: unknown) => (value === null || value === undefined ? '' : `"${String(value).replace(/"/g, '""')}"`);
  out.write(`${header.join(',')}\n`);
  let count = 0;
  for (const row of rows) {
    if (!out.write(`${row.map(field).join(',')}\n`)) await once(out, 'drain');
    count += 1;
  }
  out.end();
  await once(out, 'finish');
  return count;
}
