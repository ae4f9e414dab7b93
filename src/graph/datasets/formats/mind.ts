/**
 * MIND (msnews.github.io): behaviors.tsv holds one impression log per line,
 * `impression_id user time history impressions`, where history lists earlier
 * clicks and impressions lists `news-1` (clicked) / `news-0` (shown, not
 * clicked). news.tsv only decorates items that the logs mention.
 */
import { join } from 'node:path';

import { DatasetFormatError } from '../../errors.js';
import { DatasetBuilder, STRING_IDS, type FormatParseOptions } from '../builder.js';
import { expectColumns, parseIntId, parseStringId, quote, type LineContext } from '../fields.js';
import { fileExists, readLines } from '../line-reader.js';
import type { ParsedDataset } from '../records.js';

export const MIND_FILES = { behaviors: 'behaviors.tsv', news: 'news.tsv' } as const;

const BEHAVIOR_COLUMNS = ['impression_id', 'user', 'time', 'history', 'impressions'];
const NEWS_COLUMNS = ['news_id', 'category', 'subcategory', 'title', 'abstract', 'url', 'title_entities', 'abstract_entities'];

export async function parseMind(dir: string, options: FormatParseOptions = {}): Promise<ParsedDataset> {
  const b = new DatasetBuilder(options.onFileRead);
  await readBehaviors(b, join(dir, MIND_FILES.behaviors));
  if (await fileExists(join(dir, MIND_FILES.news))) {
    b.markItemAttributeFile(join(dir, MIND_FILES.news));
    await readNews(b, join(dir, MIND_FILES.news));
  }
  return b.build({ format: 'mind', idTypes: STRING_IDS, splitRule: 'impression-8-1-1', relationless: false });
}

async function readBehaviors(b: DatasetBuilder, file: string): Promise<void> {
  const impressionLines = new Map<number, number>();
  for await (const { line, lineNo } of readLines(file, {
    expect: `tab-separated lines of "${BEHAVIOR_COLUMNS.join(' ')}"`,
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    const fields = line.split('\t');
    expectColumns(ctx, fields, BEHAVIOR_COLUMNS, 'tab');
    const [idText = '', userText = '', timeText = '', history = '', impressions = ''] = fields;

    const impressionId = parseIntId(ctx, idText, 1, 'impression_id');
    const earlier = impressionLines.get(impressionId);
    if (earlier !== undefined) {
      throw new DatasetFormatError(file, lineNo, `impression id ${impressionId} is already used on line ${earlier}`);
    }
    impressionLines.set(impressionId, lineNo);
    const userId = parseStringId(ctx, userText, 2, 'user');
    const timestamp = parseMindTime(timeText);
    if (timestamp === undefined) {
      throw new DatasetFormatError(
        file,
        lineNo,
        `expected a time like "11/12/2019 2:14:46 PM" in column 3 (time), found ${quote(timeText)}`,
      );
    }
    b.addUser(userId);

    // A user's history is repeated on each of their logs; the repeats fold into one click.
    for (const itemId of tokens(history)) b.addInteraction({ userId, itemId, split: 'train', source: 'history' });

    const shown = tokens(impressions);
    if (shown.length === 0) throw new DatasetFormatError(file, lineNo, 'column 5 (impressions) is empty');
    for (const token of shown) {
      const dash = token.lastIndexOf('-');
      const label = token.slice(dash + 1);
      const itemId = token.slice(0, dash);
      if (dash <= 0 || (label !== '0' && label !== '1')) {
        throw new DatasetFormatError(
          file,
          lineNo,
          `expected news-1 or news-0 in column 5 (impressions), found ${quote(token)}`,
          '-1 marks a click, -0 a news item shown and not clicked',
        );
      }
      if (label === '1') {
        b.addInteraction({ userId, itemId, split: null, impressionId, timestamp, source: 'impression' });
      } else {
        b.addExposure({ userId, itemId, impressionId, timestamp, count: 1, split: null });
      }
    }
  }
}

/** Category, subcategory and title for the news the logs mention; other rows are skipped. */
async function readNews(b: DatasetBuilder, file: string): Promise<void> {
  const seen = new Set<string>();
  for await (const { line, lineNo } of readLines(file, {
    expect: `tab-separated lines of "${NEWS_COLUMNS.join(' ')}"`,
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    const fields = line.split('\t');
    expectColumns(ctx, fields, NEWS_COLUMNS, 'tab');
    const [idText = '', category = '', subCategory = '', title = ''] = fields;
    const itemId = parseStringId(ctx, idText, 1, 'news_id');
    // MIND ships news.tsv per split; concatenated copies repeat rows, the first one wins.
    if (seen.has(itemId) || !b.hasItem(itemId)) continue;
    seen.add(itemId);
    b.addItem(itemId, { attributes: { category, subCategory, title } });
  }
}

function tokens(text: string): string[] {
  return text.split(' ').filter((token) => token !== '');
}

const MIND_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;

/** `M/D/YYYY h:mm:ss AM|PM`, read as UTC, to epoch seconds; undefined when it is not a real time. */
export function parseMindTime(text: string): number | undefined {
  const m = MIND_TIME.exec(text);
  if (m === null) return undefined;
  const [month, day, year, hour12, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour12 < 1 || hour12 > 12 || minute > 59 || second > 59) return undefined;
  const hour = (hour12 % 12) + (m[7] === 'PM' ? 12 : 0);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2/30 over into March; a day that does not exist is an error.
  if (day < 1 || new Date(ms).getUTCDate() !== day) return undefined;
  return ms / 1000;
}
