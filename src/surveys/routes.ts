/**
 * The customer-facing pages: the survey (/s/<token>), its thank-you page, unsubscribe (/u/<token>) and
 * the branding stylesheet. Tokens in these URLs are capabilities: the pages send no referrer, are never
 * cached, and are rate limited per client IP. GET never records anything (link scanners open every link).
 */
import express, { Router, type Request, type Response } from 'express';
import type { Clock } from '../clock';
import type { Logger } from '../config/logger';
import { DomainError } from '../errors';
import { isRatingQuestion, type QuestionId, type RatingQuestion } from './questions';
import { recordResponse, SurveyExpired } from './record-response';
import { parseAnswers, parseRating } from './schema';
import type { SurveyFormInput } from './survey-form';
import { SurveyPageRenderer } from './survey-page-renderer';
import { SurveyLookup } from './survey-page';
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
  readonly logger: Logger;
  readonly settings: SurveySettingsSource;
  readonly publicRateLimitPerMinute: number;
  /** The origin of BASE_URL: survey posts from any other origin are refused. */
  readonly baseOrigin: string;
  readonly reportTimezone: string;
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

/** The friendly page for a request that matched nothing or failed: in the survey's language if known, else the browser's. */
export type MessagePageStatus = 400 | 403 | 404 | 410 | 413 | 415 | 429;

export async function renderMessagePage(req: Request, res: Response, settings: SurveySettingsSource, status: MessagePageStatus, surveyLocale?: string | null): Promise<void> {
  const locale = surveyLocale ? chooseLocale(surveyLocale, req.get('accept-language')) : (fromAcceptLanguage(req.get('accept-language')) ?? DEFAULT_LOCALE);
  const m = messagesFor(locale);
  const texts: Record<MessagePageStatus, [string, string]> = {
    400: [m.unreadableTitle, m.unreadableBody],
    403: [m.foreignTitle, m.foreignBody],
    404: [m.notFoundTitle, m.notFoundBody],
    410: [m.expiredTitle, m.expiredBody],
    413: [m.unreadableTitle, m.unreadableBody],
    415: [m.unreadableTitle, m.unreadableBody],
    429: [m.tooManyTitle, m.tooManyBody],
  };
  const [title, body] = texts[status];
  renderPage(res, status, 'message', { locale, branding: (await settings.current()).branding, title, body });
}

function customerPageStatus(error: unknown): MessagePageStatus | null {
  if (error instanceof URIError) return 404;
  if (error instanceof DomainError) return error.code === 'forbidden' ? 403 : error.code === 'unsupported_media_type' ? 415 : null;
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return status === 400 || status === 413 || status === 415 ? status : null;
}

export function publicRoutes(deps: PublicRouteDeps): Router {
  const router = Router();
  const noReferrer = (_req: Request, res: Response, next: () => void): void => {
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cache-Control', 'no-store');
    next();
  };
  // Every answer under a token URL, whatever its method or status, keeps the token out of Referer headers and caches.
  router.use(['/s', '/u'], noReferrer);
  const limited = publicRateLimit(deps.publicRateLimitPerMinute, (req, res) => void renderMessagePage(req, res, deps.settings, 429));
  // One-click unsubscribe posts `List-Unsubscribe=One-Click` as a form body; nothing else is read.
  const unsubscribeForm = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 10 });
  // 2,000 characters of comment can take 24 KB once percent-encoded (4-byte characters).
  const surveyForm = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 });

  router.get('/brand.css', async (_req, res) => {
    const { branding } = await deps.settings.current();
    res.type('text/css').set('Cache-Control', 'public, max-age=300').send(`:root { --accent: ${branding.accentColor}; --on-accent: ${textOnAccent(branding.accentColor)}; }\n`);
  });

  const pages = new SurveyPageRenderer();
  const surveys = new SurveyLookup(deps.readDb);
  const surveyPage = async (req: Request, res: Response, status: number, extra: Pick<SurveyFormInput, 'posted' | 'errors'> = {}): Promise<void> => {
    const token = String(req.params.token);
    const survey = await surveys.find(token, deps.clock());
    if (survey === null) return renderMessagePage(req, res, deps.settings, 404);
    if (survey.expired) return renderMessagePage(req, res, deps.settings, 410, survey.locale);
    const { questions, branding } = await deps.settings.current();
    const locale = chooseLocale(survey.locale, req.get('accept-language'));
    const preselected: Partial<Record<RatingQuestion, number>> = {};
    if (status === 200) {
      for (const q of questions.filter(isRatingQuestion)) {
        const value = parseRating(q, req.query[q]);
        if (value !== null) preselected[q] = value;
      }
    }
    const html = pages.render({ locale, branding, company: branding.companyName, questions, saved: survey.answers, preselected, ...extra, action: `/s/${token}` });
    res.status(status).set('Content-Language', locale).type('html').send(html);
  };

  router.get('/s/:token', limited, (req, res) => surveyPage(req, res, 200));

  router.post('/s/:token', limited, surveyForm, async (req, res) => {
    // A body the form parser skipped (JSON, multipart, text) would read as no answers: say so instead of thanking.
    if (req.is('application/x-www-form-urlencoded') === false) throw new DomainError('unsupported_media_type', 'Send the survey form as application/x-www-form-urlencoded.');
    const origin = req.get('origin');
    // Browsers send `Origin: null` for posts from pages with Referrer-Policy: no-referrer, like ours.
    if (origin !== undefined && origin !== 'null' && origin !== deps.baseOrigin && origin !== `${req.protocol}://${req.get('host')}`) {
      throw new DomainError('forbidden', 'This form can only be sent from its own page.');
    }
    const { questions } = await deps.settings.current();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const asked = Object.fromEntries(questions.map((q: QuestionId) => [q, body[q]]).filter(([, v]) => v !== undefined));
    const parsed = parseAnswers(asked);
    if (!parsed.ok) return surveyPage(req, res, 422, { posted: parsed.raw, errors: parsed.errors });
    const token = String(req.params.token);
    const survey = await surveys.find(token, deps.clock());
    if (survey === null) return renderMessagePage(req, res, deps.settings, 404);
    const locale = chooseLocale(survey.locale, req.get('accept-language'));
    try {
      await recordResponse({ db: deps.db, clock: deps.clock, logger: deps.logger }, { survey, changes: parsed.changes, userAgent: req.get('user-agent') ?? null, locale });
    } catch (error) {
      if (error instanceof SurveyExpired) return renderMessagePage(req, res, deps.settings, 410, survey.locale);
      throw error;
    }
    res.redirect(303, `/s/${token}/thanks`);
  });

  router.get('/s/:token/thanks', limited, async (req, res) => {
    const token = String(req.params.token);
    const survey = await surveys.find(token, deps.clock());
    if (survey === null) return renderMessagePage(req, res, deps.settings, 404);
    if (survey.expired) return renderMessagePage(req, res, deps.settings, 410, survey.locale);
    const { branding } = await deps.settings.current();
    const locale = chooseLocale(survey.locale, req.get('accept-language'));
    const m = messagesFor(locale);
    const until = survey.expiresAt === null ? null : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: deps.reportTimezone }).format(survey.expiresAt);
    renderPage(res, 200, 'thanks', {
      locale,
      branding,
      title: m.thanksTitle,
      body: format(m.thanksBody, { company: branding.companyName }),
      changeNote: until === null ? null : format(m.thanksChange, { date: until }),
      changeLink: m.thanksChangeLink,
      surveyUrl: `/s/${token}`,
    });
  });

  router.get('/u/:token', limited, async (req, res) => {
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

  router.post('/u/:token', limited, unsubscribeForm, async (req, res) => {
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

  // Customers see every refusal under a token URL as a page in their language: a token that is not even
  // valid percent-encoding names no survey (the 404 of an unknown one), a post from another site is 403,
  // a form that cannot be read 413 (too large, too many fields), 415 (not a form, not UTF-8) or 400.
  // Anything else goes on as it is.
  router.use(['/s', '/u'], (error: unknown, req: Request, res: Response, next: (error?: unknown) => void) => {
    const status = customerPageStatus(error);
    if (status === null || res.headersSent) return next(error);
    void renderMessagePage(req, res, deps.settings, status).catch(next);
  });

  return router;
}
