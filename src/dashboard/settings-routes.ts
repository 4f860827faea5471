/**
 * The Settings pages for admins (issue #7 part 6; routes.ts mounts this router under /settings behind
 * requireAdmin, so paths here are relative). This file holds the survey settings: questions and their
 * order, the sending policy and the branding, each its own form with its own reset. API keys and users
 * have their own routers.
 *
 * Each form is checked in full before anything is stored: a rejected form answers 422 with messages next
 * to its fields and leaves the settings as they were. A saved form is written in the exact shape
 * SurveySettingsSource reads, the cached settings are dropped, and the browser is redirected (303) so a
 * reload does not post again.
 */
import { Router, type Request, type Response } from 'express';
import { clearSetting, readSettings, writeSetting } from '../settings/settings-repository';
import { BRANDING_SETTING, SURVEY_POLICY_SETTING, SURVEY_QUESTIONS_SETTING } from '../surveys/survey-settings';
import { dashboardLocals } from '../http/dashboard-session';
import type { DashboardDeps } from './routes';
import { renderDashboard } from './render';
import { apiKeyRoutes } from './settings-api-keys';
import { surveySettingsModel, type FormState, type SurveySection } from './settings-model';
import { parseBrandingForm, parsePolicyForm, parseQuestionsForm, type FormResult } from './settings-forms';
import { surveyDefaults } from './settings-defaults';
import { userRoutes } from './settings-users';

const SETTING_OF: Record<SurveySection, string> = {
  questions: SURVEY_QUESTIONS_SETTING,
  policy: SURVEY_POLICY_SETTING,
  branding: BRANDING_SETTING,
};

const PARSERS: Record<SurveySection, (body: Record<string, unknown> | undefined) => FormResult<unknown>> = {
  questions: parseQuestionsForm,
  policy: parsePolicyForm,
  branding: parseBrandingForm,
};

const SECTIONS = Object.keys(SETTING_OF) as SurveySection[];

export function settingsRoutes(deps: DashboardDeps): Router {
  const router = Router();

  const page = async (req: Request, res: Response, status: number, failed: FormState | null): Promise<void> => {
    const [current, stored] = await Promise.all([deps.settings.current(), readSettings(deps.readDb, Object.values(SETTING_OF))]);
    const notice = typeof req.query.saved === 'string' ? req.query.saved : typeof req.query.reset === 'string' ? `reset:${req.query.reset}` : null;
    renderDashboard(res, status, 'settings', {
      title: 'Settings',
      section: '/settings',
      tab: 'survey',
      ...surveySettingsModel({ current, defaults: surveyDefaults(deps.settings), overridden: new Set(SECTIONS.filter((s) => stored.has(SETTING_OF[s]))), failed, notice }),
    });
  };

  router.get('/', (req, res) => page(req, res, 200, null));

  for (const section of SECTIONS) {
    router.post(`/${section}`, async (req, res) => {
      const body = req.body as Record<string, unknown> | undefined;
      const result = PARSERS[section](body);
      if (!result.ok) return page(req, res, 422, { section, errors: result.errors, body: body ?? {} });
      await writeSetting(deps.db, deps.clock, SETTING_OF[section], result.value);
      deps.settings.invalidate();
      deps.logger.info({ event: 'settings.saved', setting: SETTING_OF[section], userId: dashboardLocals(res).session?.user.id }, 'survey settings saved');
      res.redirect(303, `/settings?saved=${section}#${section}`);
    });

    router.post(`/${section}/reset`, async (_req, res) => {
      await clearSetting(deps.db, SETTING_OF[section]);
      deps.settings.invalidate();
      deps.logger.info({ event: 'settings.reset', setting: SETTING_OF[section], userId: dashboardLocals(res).session?.user.id }, 'survey settings reset to defaults');
      res.redirect(303, `/settings?reset=${section}#${section}`);
    });
  }

  router.use('/api-keys', apiKeyRoutes(deps));
  router.use('/users', userRoutes(deps));
  return router;
}
