/**
 * Settings → API keys: list (name, prefix, created, last used, revoked; never the key), create and revoke.
 * A new key is shown once, in the answer to the create form itself: it never travels in a URL or a
 * redirect, and the page is not cached. Revoking is a confirmed POST; the API authenticator looks keys
 * up on every request, so a revoked key answers 401 from its next request on.
 */
import { Router, type Response } from 'express';
import { createApiKey, listApiKeys, revokeApiKey } from '../accounts/api-keys';
import { dashboardLocals } from '../http/dashboard-session';
import { formText } from './form';
import { formatInstant, isUuid } from './values';
import type { DashboardDeps } from './routes';
import { renderDashboard, renderDashboardMessage } from './render';

const MAX_KEY_NAME = 100;

export function apiKeyRoutes(deps: DashboardDeps): Router {
  const router = Router();
  const when = (ms: number | null) => formatInstant(ms, deps.reportTimezone);

  const listPage = async (res: Response, status: number, form: { name: string; error: string | null }, notice: string | null): Promise<void> => {
    const keys = await listApiKeys(deps.readDb);
    renderDashboard(res, status, 'settings-api-keys', {
      title: 'API keys',
      section: '/settings',
      tab: 'api-keys',
      notice,
      form,
      maxName: MAX_KEY_NAME,
      // Active keys first, each group oldest first as listApiKeys orders them.
      keys: [...keys.filter((k) => k.revokedAt === null), ...keys.filter((k) => k.revokedAt !== null)].map((k) => ({
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        created: when(k.createdAt),
        lastUsed: when(k.lastUsedAt),
        revoked: when(k.revokedAt),
      })),
    });
  };

  router.get('/', (req, res) => listPage(res, 200, { name: '', error: null }, req.query.revoked === '1' ? 'The key was revoked. Requests that use it now get 401.' : null));

  router.post('/', async (req, res) => {
    const raw = formText(req.body as Record<string, unknown>, 'name');
    const name = raw?.trim() ?? '';
    if (name.length === 0 || name.length > MAX_KEY_NAME) {
      return listPage(res, 422, { name: raw ?? '', error: `Enter a name of 1 to ${MAX_KEY_NAME} characters, such as the integration that will use the key.` }, null);
    }
    const created = await createApiKey(deps.db, deps.clock, name);
    deps.logger.info({ event: 'api_key.created', apiKeyId: created.id, userId: dashboardLocals(res).session?.user.id }, 'API key created');
    renderDashboard(res, 201, 'settings-api-key-created', { title: 'API key created', section: '/settings', tab: 'api-keys', created: { name: created.name, prefix: created.prefix, key: created.key } });
  });

  const findKey = async (id: string) => (isUuid(id) ? ((await listApiKeys(deps.readDb)).find((k) => k.id === id) ?? null) : null);
  const noSuchKey = (res: Response): void => renderDashboardMessage(res, 404, 'No such API key', 'There is no API key with this id. Go back to Settings → API keys.');

  router.get('/:id/revoke', async (req, res) => {
    const key = await findKey(req.params.id);
    if (!key) return noSuchKey(res);
    if (key.revokedAt !== null) return renderDashboardMessage(res, 409, 'Already revoked', `The key “${key.name}” is already revoked.`);
    renderDashboard(res, 200, 'settings-api-key-revoke', { title: 'Revoke API key', section: '/settings', tab: 'api-keys', key: { id: key.id, name: key.name, prefix: key.prefix, lastUsed: when(key.lastUsedAt) } });
  });

  router.post('/:id/revoke', async (req, res) => {
    const id = req.params.id;
    if (!isUuid(id)) return noSuchKey(res);
    if (!(await revokeApiKey(deps.db, deps.clock, id))) {
      return (await findKey(id)) ? renderDashboardMessage(res, 409, 'Already revoked', 'This key is already revoked.') : noSuchKey(res);
    }
    deps.logger.info({ event: 'api_key.revoked', apiKeyId: id, userId: dashboardLocals(res).session?.user.id }, 'API key revoked');
    res.redirect(303, '/settings/api-keys?revoked=1');
  });

  return router;
}
