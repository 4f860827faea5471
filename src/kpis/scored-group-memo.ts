/**
 * The scored groups of earlier KPI queries, reused when a group's numbers come out the same. A query
 * repeated after a write to today changes a handful of its 1,200 groups; scoring the others again and
 * serializing them (kpi-json.ts keeps each group's JSON by object) was half the query's time. A group is
 * a pure function of its key, its summed counts, its duration scores and min_responses: the memo is
 * kept per query shape and key object and compares the rest, so a reused group is the one scoring
 * would make. The objects are frozen: shared between queries, nobody may change them.
 */
import type { GroupKey, KpiGroup } from './kpi-report';
import { BoundedLru } from './bounded-lru';
import { perHandle } from './per-handle';
import type { PackedTimeScores } from './sketch-codec';

// Query shapes remembered; each holds at most one entry per group of its latest answer (~2 KB each with
// its JSON): 1,200 groups × 32 shapes stays under 80 MB.
const MAX_SHAPES = 32;

/** What a group's scores depend on besides its key and min_responses: the counts and both duration scores. */
export function groupSignature(numbers: Float64Array, firstResponse: PackedTimeScores, resolution: PackedTimeScores): Float64Array {
  const sig = new Float64Array(numbers.length + 6);
  sig.set(numbers);
  let at = numbers.length;
  for (const t of [firstResponse, resolution]) {
    // Durations are ≥ 0: −1 stands for null.
    sig[at++] = t.n;
    sig[at++] = t.median ?? -1;
    sig[at++] = t.p90 ?? -1;
  }
  return sig;
}

const sameSignature = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFreeze(inner as object);
  return Object.freeze(value);
}

interface Entry {
  readonly signature: Float64Array;
  readonly group: KpiGroup;
}

/** Scores a group, or hands back the one scored before for the same key object and signature. */
export type ScoreOnce = (key: GroupKey, signature: Float64Array, score: () => KpiGroup) => KpiGroup;

export class ScoredGroupMemo {
  // Per query shape (range, grouping, filters, min_responses), per group key object: the group keys of
  // settled groups live as long as their settled set (settled-groups.ts), so they find their entry
  // again without building a text key per group; an entry goes when its key object does.
  private readonly shapes: BoundedLru<WeakMap<GroupKey, Entry>>;

  constructor(maxShapes = MAX_SHAPES) {
    this.shapes = new BoundedLru(maxShapes);
  }

  /** The memo of one query shape (everything but the groups' keys and numbers that a group depends on). */
  forShape(shape: string): ScoreOnce {
    let memo = this.shapes.get(shape);
    if (memo === undefined) {
      memo = new WeakMap();
      this.shapes.set(shape, memo);
    }
    return (key, signature, score) => {
      const hit = memo.get(key);
      if (hit !== undefined && sameSignature(hit.signature, signature)) return hit.group;
      const group = deepFreeze(score());
      memo.set(key, { signature, group });
      return group;
    };
  }
}

/** The memo of one database handle. */
export const scoredGroupMemo: (db: object) => ScoredGroupMemo = perHandle(() => new ScoredGroupMemo());
