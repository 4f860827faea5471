/**
 * How a failed send is treated. Pure: the worker applies it. A 5xx reply or a refused address is
 * permanent; everything else (no connection, timeouts, 4xx replies) is worth another attempt.
 */
export type SendFailure = { readonly kind: 'transient' | 'permanent'; readonly reason: string };

/** First retry within 10 s (8 s before jitter), then doubling, capped at 10 minutes. */
const FIRST_RETRY_MS = 8_000;
const MAX_RETRY_MS = 10 * 60_000;
const MAX_REASON_LENGTH = 500;

interface NodemailerError {
  readonly code?: unknown;
  readonly responseCode?: unknown;
  readonly response?: unknown;
  readonly message?: unknown;
}

export function classifySendError(error: unknown): SendFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const detail = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const reason = [code, detail].filter(Boolean).join(': ').slice(0, MAX_REASON_LENGTH);
  if (responseCode !== undefined) return { kind: responseCode >= 500 ? 'permanent' : 'transient', reason };
  // An envelope nodemailer itself rejects (no valid recipient) will never go through.
  if (code === 'EENVELOPE') return { kind: 'permanent', reason };
  return { kind: 'transient', reason };
}

/**
 * The wait before the next attempt after `failures` failed ones: doubling from 8 s, capped at
 * 10 minutes, with jitter (50–100 % of the step) so a recovering server is not hit by every email at once.
 */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(step * (0.5 + 0.5 * random()));
}
