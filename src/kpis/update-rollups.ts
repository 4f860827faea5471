/**
 * Moves the KPI rollups inside the transaction of the change that moves the KPIs: an interaction
 * recorded, a survey sent, an answer recorded or changed (old answers out, new ones in). Each call
 * gathers its deltas per cell in memory and writes them with one upsert statement.
 *
 * Cells are cut in the time zone the rollups were built for (read in the same transaction, after the
 * writers' lock), not in this process's REPORT_TIMEZONE: rollups stay consistent with themselves even
 * while a process runs with another zone, and `rollups rebuild` re-cuts them all.
 */
import type { Knex } from 'knex';
import { addCounts, countAnswers, countInteraction, countSurveySent, emptyCounts, subtractCounts, type AnswerInput, type InteractionInput, type KpiCounts } from '../scoring';
import { dayLookup } from './report-calendar';
import { RollupDeltas } from './rollup-cells';
import { addToRollups, lockRollupsForWriting, readRollupState, writeRollupState } from './rollup-store';

/** An interaction as the rollups need it. */
export interface RollupInteraction extends InteractionInput {
  readonly agentId: number;
  /** Its team, or null. */
  readonly teamId: number | null;
  readonly channel: string;
}

interface InteractionRow {
  id: string;
  agent_id: number;
  team_id: number | null;
  channel: string;
  closed_at: number | string;
}

/**
 * The rollups' zone for a writer, or null when there are none to keep (never built: the KPI query
 * reads raw rows and start-up builds them). `firstZone` lets the first writer of an empty database
 * start them, since there is nothing to rebuild yet.
 */
async function rollupZone(trx: Knex.Transaction, firstZone?: string): Promise<string | null> {
  await lockRollupsForWriting(trx);
  const state = await readRollupState(trx);
  if (state !== null) return state.timeZone;
  if (firstZone === undefined) return null;
  // Interactions already stored: either the rollups were never built (null), or, on PostgreSQL, a
  // concurrent first writer committed them together with the state since the read above: read it again.
  if ((await trx('interactions').first('id')) !== undefined) return (await readRollupState(trx))?.timeZone ?? null;
  await writeRollupState(trx, firstZone, Date.now());
  return (await readRollupState(trx))?.timeZone ?? null;
}

// Writers of a process cut days in one zone or two (a rebuild can change it): one lookup each.
const dayLookups = new Map<string, (ms: number) => string>();
function dayIn(zone: string, ms: number): string {
  let lookup = dayLookups.get(zone);
  if (lookup === undefined) {
    lookup = dayLookup(zone, 10_000);
    dayLookups.set(zone, lookup);
  }
  return lookup(ms);
}

/**
 * Call before inserting interactions: the rollups' zone for them, or null to skip. `reportTimezone`
 * starts the rollups when the database holds no interaction yet.
 */
export function rollupZoneForNewInteractions(trx: Knex.Transaction, reportTimezone: string): Promise<string | null> {
  return rollupZone(trx, reportTimezone);
}

/**
 * Counts new interactions in `zone` (from rollupZoneForNewInteractions). Call it last in the transaction:
 * rollup rows are shared by many writers, so their locks are taken last and held shortest, and a writer
 * holding them never waits for another lock (PostgreSQL would otherwise find deadlocks).
 */
export async function addInteractionsToRollups(trx: Knex.Transaction, zone: string | null, interactions: readonly RollupInteraction[]): Promise<void> {
  if (interactions.length === 0 || zone === null) return;
  const deltas = new RollupDeltas();
  for (const i of interactions) deltas.add({ day: dayIn(zone, i.closedAt), agentId: i.agentId, teamId: i.teamId, channel: i.channel }, countInteraction(i));
  await addToRollups(trx, deltas.take());
}

/** Where stored interactions count, by id. */
async function interactionPlaces(trx: Knex.Transaction, ids: readonly string[]): Promise<InteractionRow[]> {
  const rows: InteractionRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(...((await trx('interactions').whereIn('id', ids.slice(i, i + 500)).select('id', 'agent_id', 'team_id', 'channel', 'closed_at')) as InteractionRow[]));
  }
  return rows;
}

async function addPerInteraction(trx: Knex.Transaction, deltas: ReadonlyMap<string, KpiCounts>): Promise<void> {
  if (deltas.size === 0) return;
  const zone = await rollupZone(trx);
  if (zone === null) return;
  const cells = new RollupDeltas();
  for (const row of await interactionPlaces(trx, [...deltas.keys()])) {
    const place = { day: dayIn(zone, Number(row.closed_at)), agentId: Number(row.agent_id), teamId: row.team_id === null ? null : Number(row.team_id), channel: row.channel };
    cells.add(place, deltas.get(row.id) as KpiCounts);
  }
  await addToRollups(trx, cells.take());
}

/** Counts the surveys of these interactions as sent (call once per survey, when sent_at is first set). */
export async function addSentSurveysToRollups(trx: Knex.Transaction, interactionIds: readonly string[]): Promise<void> {
  const deltas = new Map<string, KpiCounts>();
  for (const id of interactionIds) deltas.set(id, addCounts(deltas.get(id) ?? emptyCounts(), countSurveySent()));
  await addPerInteraction(trx, deltas);
}

/** Moves one survey's answers from `before` (null: no response yet) to `after`. */
export async function moveAnswersInRollups(trx: Knex.Transaction, interactionId: string, before: AnswerInput | null, after: AnswerInput): Promise<void> {
  const delta = subtractCounts(countAnswers(after), before === null ? emptyCounts() : countAnswers(before));
  await addPerInteraction(trx, new Map([[interactionId, delta]]));
}
