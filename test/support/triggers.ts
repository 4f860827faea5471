/** Builds valid interaction triggers; each call gets a unique external_id unless one is given. */
let counter = 0;

export type TriggerBody = Record<string, unknown> & {
  agent?: Record<string, unknown>;
  customer?: Record<string, unknown> | null;
};

export function buildTrigger(overrides: TriggerBody = {}, now = Date.now()): TriggerBody {
  counter += 1;
  const closed = now - 60_000;
  const base: TriggerBody = {
    external_id: `T-${process.pid}-${counter}`,
    source: 'zendesk',
    channel: 'chat',
    opened_at: new Date(closed - 1_800_000).toISOString(),
    first_response_at: new Date(closed - 1_700_000).toISOString(),
    closed_at: new Date(closed).toISOString(),
    contacts: 1,
    agent: { external_id: 'a-17', name: 'Ana Ruiz', email: 'ana@example.com', team: 'Tier 1' },
    customer: { email: `customer-${process.pid}-${counter}@example.org`, name: 'Carla', locale: 'es', external_id: `c-${counter}` },
    survey: { send: true },
    metadata: { ticket_url: 'https://helpdesk.example.com/T-1001' },
  };
  return { ...base, ...overrides };
}
