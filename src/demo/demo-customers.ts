/**
 * Who the demo's interactions are for: new customers and returning ones (some known from before the
 * demo period), each with a language, and when each was last sent a survey so the throttle can apply.
 * Typed arrays keep a five-million-interaction demo in tens of megabytes.
 */
import { LOCALE_SHARES } from './catalog';
import type { DemoLocale } from './comments';
import { customerName, demoCustomerEmail, type DemoCustomer } from './demo-directory';
import { cumulative, pickIndex, type Random } from './random';

/** Customers known from before the demo period, as a share of the interactions; they can come back too. */
const KNOWN_BEFORE = 0.25;
/** Chance that an interaction comes from a customer seen before (or known from before the period). */
const RETURNING = 0.45;

/** The customer of one interaction. */
export interface ChosenCustomer {
  readonly index: number;
  /** Set the first time the customer appears: the row to store. */
  readonly fresh: DemoCustomer | null;
  readonly locale: DemoLocale;
}

/** Customer indices of a demo of `interactions` stay below this. */
export function customerCapacity(interactions: number): number {
  return interactions + Math.round(interactions * KNOWN_BEFORE);
}

/** The customer pool of one generated stream (stateful, so one per stream). */
export class DemoCustomers {
  private known: number;
  private readonly seen: Uint8Array;
  private readonly locales: Uint8Array;
  private readonly lastSendAt: Float64Array;
  private readonly localeTotals = cumulative(LOCALE_SHARES.map((l) => l.share));

  /** `throttleMs` 0 turns the throttle off. */
  constructor(
    private readonly seed: number,
    interactions: number,
    private readonly throttleMs: number,
  ) {
    const capacity = customerCapacity(interactions);
    this.known = capacity - interactions;
    this.seen = new Uint8Array(capacity);
    this.locales = new Uint8Array(capacity);
    this.lastSendAt = new Float64Array(capacity);
  }

  /**
   * A new or returning customer. A returning one gets a couple of tries at someone not surveyed lately,
   * as real repeat contacts are mostly weeks apart; whoever is drawn last is kept (and may be throttled).
   */
  choose(rng: Random, sendAt: number): ChosenCustomer {
    let index = -1;
    if (this.known > 0 && rng() < RETURNING) {
      for (let attempt = 0; attempt < 3 && (index < 0 || this.throttled(index, sendAt)); attempt++) index = Math.floor(rng() * this.known);
    } else index = this.known++;
    let fresh: DemoCustomer | null = null;
    if (this.seen[index] === 0) {
      this.seen[index] = 1;
      const slot = pickIndex(rng, this.localeTotals);
      this.locales[index] = slot;
      const locale = (LOCALE_SHARES[slot] as (typeof LOCALE_SHARES)[number]).locale;
      fresh = { index, email: demoCustomerEmail(this.seed, index), name: customerName(rng, locale), locale };
    }
    return { index, fresh, locale: (LOCALE_SHARES[this.locales[index] as number] as (typeof LOCALE_SHARES)[number]).locale };
  }

  /** Whether a survey sending at `sendAt` falls within the throttle window of the customer's last one. */
  throttled(index: number, sendAt: number): boolean {
    const last = this.lastSendAt[index] as number;
    return this.throttleMs > 0 && last !== 0 && last > sendAt - this.throttleMs;
  }

  /** Records a survey sent to the customer. */
  surveyed(index: number, sendAt: number): void {
    this.lastSendAt[index] = sendAt;
  }
}
