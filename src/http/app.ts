/**
 * Builds the Express app: logging and security headers first, then health, the JSON API, static files
 * and pages; errors end in one handler that answers problem+json to the API and an HTML page to people.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ApiKeyAuthenticator } from '../accounts/api-keys';
import { SessionSecret } from '../accounts/session-secret';
import type { Clock } from '../clock';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import type { Db } from '../db/knex';
import { dashboardRoutes } from '../dashboard/routes';
import { NotFound } from '../errors';
import { ingestRoutes } from '../ingest/routes';
import { reportRoutes } from '../kpis/routes';
import type { InteractionIngestor } from '../ingest/report-interaction';
import { publicDir, viewsDir } from '../paths';
import { publicRoutes } from '../surveys/routes';
import type { SurveySettingsSource } from '../surveys/survey-settings';
import { requireApiKey } from './api-auth';
import { healthRoutes } from './health';
import { problemFor, sendProblem } from './problem';
import { apiRateLimit } from './rate-limit';
import { requestLogging } from './request-logging';
import { securityHeaders } from './security-headers';

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly readDb: Db;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly apiKeys: ApiKeyAuthenticator;
  readonly ingestor: InteractionIngestor;
  readonly settings: SurveySettingsSource;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  // Express only caches compiled views in production mode by default; rendering without it costs ~40%.
  app.set('view cache', true);
  // Every page and API answer is computed per request (survey pages are no-store): a body hash for an
  // ETag would only cost time, ~1 ms on a 900 KB KPI answer. Static files keep theirs (express.static).
  app.set('etag', false);

  app.use(requestLogging(deps.logger));
  app.use(securityHeaders(deps.config));
  app.use(healthRoutes(deps.db));

  const api = express.Router();
  api.use(requireApiKey(deps.apiKeys), apiRateLimit(deps.config.apiRateLimitPerMinute));
  api.use(ingestRoutes({ ingestor: deps.ingestor, clock: deps.clock }));
  api.use(reportRoutes({ readDb: deps.readDb, clock: deps.clock, reportTimezone: deps.config.reportTimezone, minResponses: deps.config.kpiMinResponses }));
  api.use(() => {
    throw new NotFound('No such API endpoint.');
  });
  app.use('/api/v1', api);
  app.use('/api', () => {
    throw new NotFound('No such API endpoint. The API lives under /api/v1.');
  });

  app.use(
    publicRoutes({
      db: deps.db,
      readDb: deps.readDb,
      clock: deps.clock,
      logger: deps.logger.child({ module: 'surveys' }),
      settings: deps.settings,
      publicRateLimitPerMinute: deps.config.publicRateLimitPerMinute,
      baseOrigin: new URL(deps.config.baseUrl).origin,
      reportTimezone: deps.config.reportTimezone,
    }),
  );
  app.use('/assets', express.static(publicDir, { index: false, dotfiles: 'ignore', maxAge: '1d', fallthrough: true, redirect: false }));
  app.use(
    dashboardRoutes({
      db: deps.db,
      readDb: deps.readDb,
      clock: deps.clock,
      logger: deps.logger.child({ module: 'dashboard' }),
      secret: new SessionSecret(deps.db, deps.clock, deps.config.sessionSecret),
      settings: deps.settings,
      baseOrigin: new URL(deps.config.baseUrl).origin,
      reportTimezone: deps.config.reportTimezone,
      minResponses: deps.config.kpiMinResponses,
      publicRateLimitPerMinute: deps.config.publicRateLimitPerMinute,
      captureMode: deps.config.smtpUrl === null,
    }),
  );
  app.use(() => {
    throw new NotFound('There is no page at this address.');
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** API answers are problem+json: under /api as Express routes it (any case), or when the client asks for JSON. */
function wantsJson(req: Request): boolean {
  return /^\/api(?:[/?]|$)/i.test(req.originalUrl) || req.accepts(['html', 'json']) === 'json';
}

const REPRESENTATION_HEADERS = ['Content-Type', 'Content-Disposition', 'Content-Length', 'ETag', 'Last-Modified', 'Accept-Ranges'] as const;

function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const p = problemFor(error);
    if (p.status >= 500) logger.error({ event: 'http.unhandled_error', err: error, requestId: req.id }, 'request failed');
    // Mid-stream (a CSV export): cut the connection so the client sees a failed download, not a short file.
    if (res.headersSent) return void res.destroy();
    // What a failed handler set for the answer it meant to give (a static file's type, caching and
    // validators; a download's file name) must not dress the error, nor let a cache keep it.
    for (const name of REPRESENTATION_HEADERS) res.removeHeader(name);
    res.setHeader('Cache-Control', 'no-store');
    if (wantsJson(req)) return sendProblem(res, p);
    res.status(p.status).render('errors/error', { status: p.status, title: p.title, detail: p.detail }, (renderError, html) => {
      if (renderError) return void res.type('text/plain').send(`${p.status} ${p.title}`);
      res.send(html);
    });
  };
}

