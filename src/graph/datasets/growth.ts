/**
 * Files that gained rows: `npm run migrate` on a dataset whose files now hold
 * everything that was loaded and more loads only what is new. Stored
 * interactions keep their split; the new ones are split by the dataset's own
 * rule and seed, applied to the new rows alone (random-6-2-2: 60/20/20 of the
 * new rows by their seeded hash; user-time-8-1-1: each user's new rows,
 * oldest first, 80/10/10; fixed: the files' own train/test). New rows are
 * written with `addedBy` = the files' checksum: a growth killed half-way is
 * resumed with the same set of new rows, so with the same splits.
 *
 * A file that lost or changed the key of a stored interaction is not a growth:
 * that is refused, and --replace loads the files anew.
 */
import type { ExternalId } from '../../base/ids.js';
import { KgnegError } from '../errors.js';
import type { QueryRunner } from '../query-runner.js';
import { loadIdIndex } from '../training-data.js';
import type { DatasetRecord } from './dataset-repository.js';
import { interactionKey, type InteractionRecord, type ParsedDataset, type Split } from './records.js';
import { assignSplits } from './split.js';

export interface Growth {
  /** The files' checksum: written on every new interaction as `addedBy`. */
  readonly checksum: string;
  readonly newInteractions: readonly InteractionRecord[];
  readonly newUserIds: ReadonlySet<ExternalId>;
  readonly newItemIds: ReadonlySet<ExternalId>;
  readonly newEntityIds: ReadonlySet<ExternalId>;
  /** Interactions stored before this growth. */
  readonly stored: number;
}

/**
 * Whether the parsed files are the stored dataset plus new rows; if so, sets
 * every parsed interaction's split (stored: as stored; new: by the rule) and
 * says what is new. Throws the refusal when they are not.
 */
export async function planGrowth(runner: QueryRunner, existing: DatasetRecord, parsed: ParsedDataset, checksum: string): Promise<Growth> {
  const name = existing.name;
  const refuse = (why: string) =>
    new KgnegError(`dataset '${name}' in Neo4j was loaded from other files (${existing.sourceDir}): ${why}`, {
      hint: 'the files may only gain rows to be loaded again; ingest under another --name, or pass --replace to delete the old one first',
    });
  if (parsed.splitRule === 'impression-8-1-1') throw refuse('a dataset split by impression (MIND) is not grown in place');
  const stored = new Map<string, Split>();
  await runner.stream(
    'dataset/stream-interaction-keys',
    { dataset: name },
    (fields) => {
      const [key, split, addedBy] = fields as [string, Split, string | null];
      // Rows an interrupted growth of these same files wrote are new rows again, not stored ones.
      if (addedBy !== checksum) stored.set(key, split);
    },
    { restart: () => stored.clear() },
  );
  const parsedKeys = new Set<string>();
  const fresh: InteractionRecord[] = [];
  for (const r of parsed.interactions) {
    const key = interactionKey(r);
    parsedKeys.add(key);
    const split = stored.get(key);
    if (split === undefined) fresh.push(r);
    else r.split = split;
  }
  let lost = 0;
  let example: string | undefined;
  for (const key of stored.keys()) {
    if (!parsedKeys.has(key)) {
      lost += 1;
      example ??= key;
    }
  }
  if (lost > 0) throw refuse(`${lost} of its ${stored.size} interactions are not in them (e.g. ${example})`);
  // Only the new rows are split: the stored ones keep theirs. Exposures are training data under these rules.
  assignSplits(parsed.splitRule, existing.splitSeed, fresh, parsed.exposures);
  const newIds = async (query: string, ids: Iterable<ExternalId>) => {
    const known = (await loadIdIndex(runner, query, name)).indexOf;
    return new Set([...ids].filter((id) => !known.has(id)));
  };
  return {
    checksum,
    newInteractions: fresh,
    newUserIds: await newIds('train/list-user-ids', parsed.users.map((u) => u.userId)),
    newItemIds: await newIds('train/list-item-ids', parsed.items.map((i) => i.itemId)),
    newEntityIds: await newIds('kg/list-entity-ids', parsed.entities),
    stored: stored.size,
  };
}
