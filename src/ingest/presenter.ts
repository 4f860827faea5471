/** The JSON shape of an interaction and its survey (CONTRACT §3, POST /api/v1/interactions). */
import type { InteractionRecord } from './interaction-repository';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function presentInteraction(record: InteractionRecord, duplicate: boolean): Record<string, unknown> {
  const s = record.survey;
  const survey: Record<string, unknown> = { id: s.id, status: s.status };
  if (s.reason !== null) survey.reason = s.reason;
  if (s.sendAt !== null) survey.send_at = iso(s.sendAt);
  return { id: record.id, source: record.source, external_id: record.externalId, duplicate, survey };
}
