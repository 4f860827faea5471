/**
 * The customer-facing pages: unsubscribe (/u/<token>) and the branding stylesheet. Tokens in these URLs
 * are capabilities, so the pages send no referrer and are rate limited per client IP.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { chooseLocale, fromAcceptLanguage, DEFAULT_LOCALE, type Locale } from '../i18n/locale';
import { format, messagesFor } from '../i18n/messages';
import { publicRateLimit } from '../http/rate-limit';
import { textOnAccent, type Branding, type SurveySettingsSource } from './survey-settings';
import { maskEmail, unsubscribe, findUnsubscribeTarget } from './unsubscribe';

export interface PublicRouteDeps {
  readonly db: Db;
  readonly readDb: Db;
  readonly clock: Clock;
  readonly settings: SurveySettingsSource;
  readonly publicRateLimitPerMinute: number;
}

export interface PageModel {
  readonly locale: Locale;
  readonly branding: Branding;
  readonly title: string;
  readonly [key: string]: unknown;
}

/** Renders a customer-facing page in its language; `m` is that language's messages. */
export function renderPage(res: Response, status: number, view: string, model: PageModel): void {
  res.status(status).set('Content-Language', model.locale).render(`public/${view}`, { ...model, m: messagesFor(model.locale) });
}

/** The friendly page for a request that matched nothing or failed, in the browser's language. */
export async function renderMessagePage(req: Request, res: Response, settings: SurveySettingsSource, status: 404 | 410 | 429): Promise<void> {
  const locale = fromAcceptLanguage(req.get('accept-language')) ?? DEFAULT_LOCALE;
  const m = messagesFor(locale);
  const [title, body] = status === 404 ? [m.notFoundTitle, m.notFoundBody] : status === 410 ? [m.expiredTitle, m.expiredBody] : [m.tooManyTitle, m.tooManyBody];
  renderPage(res, status, 'message', { locale, branding: (await settings.current()).branding, title, body });
}

export function publicRoutes(deps: PublicRouteDeps): Router {
  const router = Router();
  const noReferrer = (_req: Request, res: Response, next: () => void): void => {
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cache-Control', 'no-store');
    next();
  };
  const limited = publicRateLimit(deps.publicRateLimitPerMinute, (req, res) => void renderMessagePage(req, res, deps.settings, 429));
  // One-click unsubscribe posts `List-Unsubscribe=One-Click` as a form body; nothing else is read.
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 10 });

  router.get('/brand.css', async (_req, res) => {
    const { branding } = await deps.settings.current();
    res.type('text/css').set('Cache-Control', 'public, max-age=300').send(`:root { --accent: ${branding.accentColor}; --on-accent: ${textOnAccent(branding.accentColor)}; }\n`);
  });

  router.get('/u/:token', noReferrer, limited, async (req, res) => {
    const target = await findUnsubscribeTarget(deps.readDb, String(req.params.token));
    if (target === null) return renderMessagePage(req, res, deps.settings, 404);
    const locale = chooseLocale(target.locale, req.get('accept-language'));
    const m = messagesFor(locale);
    const { branding } = await deps.settings.current();
    const values = { email: maskEmail(target.email), company: branding.companyName };
    renderPage(res, 200, 'unsubscribe', {
      locale,
      branding,
      done: target.unsubscribed,
      title: target.unsubscribed ? m.unsubscribedTitle : m.unsubscribeTitle,
      body: format(target.unsubscribed ? m.unsubscribedBody : m.unsubscribeBody, values),
      action: req.originalUrl.split('?')[0],
    });
  });

  router.post('/u/:token', noReferrer, limited, form, async (req, res) => {
    const target = await unsubscribe(deps.db, deps.readDb, deps.clock, String(req.params.token));
    if (target === null) return renderMessagePage(req, res, deps.settings, 404);
    const locale = chooseLocale(target.locale, req.get('accept-language'));
    const m = messagesFor(locale);
    const { branding } = await deps.settings.current();
    renderPage(res, 200, 'unsubscribe', {
      locale,
      branding,
      done: true,
      title: m.unsubscribedTitle,
      body: format(m.unsubscribedBody, { email: maskEmail(target.email), company: branding.companyName }),
      action: '',
    });
  });

  return router;
}
