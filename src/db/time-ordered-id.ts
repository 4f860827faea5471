/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Rows get ids stamped with their
 * creation time, so new ids land at the right-hand edge of their B-tree indexes instead of all over them:
 * an ingest batch then dirties a few index pages instead of one per row and index (on SQLite each dirty
 * page is a 4 KiB WAL write), and big demos load in less than half the time. The id reveals when the
 * row was created, which the API shows anyway; survey tokens stay fully random.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 16 * 1024;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The pool byte at `i` as two hex digits. */
function hex(i: number): string {
  return HEX[pool[i] as number] as string;
}

/** A version-7 UUID for the instant `ms` (epoch milliseconds). */
export function timeOrderedUuid(ms: number): string {
  if (offset + 10 > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = offset;
  offset += 10;
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  // Version 7 in the high nibble of byte 6, variant 0b10 in the top bits of byte 8.
  const version = HEX[0x70 | ((pool[r] as number) & 0x0f)] as string;
  const variant = HEX[0x80 | ((pool[r + 2] as number) & 0x3f)] as string;
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-${version}${hex(r + 1)}-${variant}${hex(r + 3)}-${hex(r + 4)}${hex(r + 5)}${hex(r + 6)}${hex(r + 7)}${hex(r + 8)}${hex(r + 9)}`;
}
