/**
 * When a rollup cell's sketches are due for compaction (pure). Writers append a cell's new (bucket,
 * count) pairs to its sketches, so a busy cell's row grows with every interaction, and every upsert
 * rewrites the whole row: with cells of ~1,600 interactions (13 KB a sketch) ingest measured 35 % slower
 * than on fresh cells. The writer therefore compacts a cell (its pairs summed per bucket, the canonical
 * form a rebuild writes; a few KB at most) once it has appended at least MIN_BYTES to it, and at least
 * the size it last compacted it to. A row thus stays within about twice its canonical size plus
 * MIN_BYTES per writing process, and a cell is compacted once per as many appends as it has pairs.
 *
 * The writer counts its own appends (no statement asks the database for sizes on the hot path); another
 * process's appends and a restart only delay a compaction by MIN_BYTES of appends.
 */

import { BoundedLru } from './bounded-lru';

/** The bytes a write appended to a cell's larger sketch. */
export interface AppendedCell {
  readonly key: string;
  readonly bytes: number;
}

// 256 pairs: a cell that grew less than this is never worth a read and a write.
const MIN_BYTES = 2048;
// Cells tracked; the least recently written are forgotten first (their appends start from 0 again).
const MAX_TRACKED = 100_000;

interface Tracked {
  appended: number;
  compacted: number;
}

export class SketchCompaction {
  private readonly cells: BoundedLru<Tracked>;

  constructor(
    private readonly minBytes = MIN_BYTES,
    maxTracked = MAX_TRACKED,
  ) {
    this.cells = new BoundedLru(maxTracked);
  }

  /** Counts the appends; returns the keys of the cells now due, at most `limit` (those that grew most first). */
  append(cells: readonly AppendedCell[], limit: number): string[] {
    const due: [string, number][] = [];
    for (const { key, bytes } of cells) {
      const tracked = this.track(key);
      tracked.appended += bytes;
      if (tracked.appended >= Math.max(this.minBytes, tracked.compacted)) due.push([key, tracked.appended]);
    }
    return due.sort((a, b) => b[1] - a[1]).slice(0, limit).map(([key]) => key);
  }

  /** Records that a cell was compacted to `bytes` (its larger sketch). */
  compacted(key: string, bytes: number): void {
    const tracked = this.track(key);
    tracked.appended = 0;
    tracked.compacted = bytes;
  }

  private track(key: string): Tracked {
    let tracked = this.cells.get(key);
    if (tracked === undefined) {
      tracked = { appended: 0, compacted: 0 };
      this.cells.set(key, tracked);
    }
    return tracked;
  }
}
