/**
 * The root pino logger. Secrets (API keys, cookies, tokens) are redacted wherever they appear in
 * request logs; survey URLs are logged with their token masked by the HTTP layer.
 */
import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'rapport' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.apiKey',
        ],
        censor: '[redacted]',
      },
    },
    // Asynchronous writes to stdout: a synchronous write per request line costs the hot path a syscall.
    // pino flushes the buffer when the process exits.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
