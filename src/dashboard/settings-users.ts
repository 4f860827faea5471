/**
 * Settings → Users: list, create (argon2id through createUser), disable/enable and change role. There is
 * always an active admin: changeUserAccess refuses to disable yourself or to disable or demote the last
 * one (409 with the page and a message). Disabling ends the user's sessions at once.
 */
import { Router, type Response } from 'express';
import { changeUserAccess, createUser, listUsers, MIN_PASSWORD_LENGTH, ROLES, type AccessChange, type Role } from '../accounts/users';
import { Conflict, NotFound, ValidationFailed } from '../errors';
import { dashboardLocals } from '../http/dashboard-session';
import { formText } from './form';
import { formatInstant, isUuid } from './values';
import type { DashboardDeps } from './routes';
import { renderDashboard, renderDashboardMessage } from './render';

interface NewUserForm {
  readonly email: string;
  readonly name: string;
  readonly role: string;
  readonly errors: Record<string, string>;
}

const EMPTY_FORM: NewUserForm = { email: '', name: '', role: 'lead', errors: {} };

/** One message per field, whatever the schema said: the form names the rule, not the validator's wording. */
const FIELD_MESSAGES: Record<string, string> = {
  email: 'Enter a valid email address.',
  name: 'Enter a name of at most 200 characters, or leave it empty.',
  role: 'Choose admin or lead.',
  password: `Enter a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
};

export function userRoutes(deps: DashboardDeps): Router {
  const router = Router();
  const when = (ms: number | null) => formatInstant(ms, deps.reportTimezone);

  const page = async (res: Response, status: number, form: NewUserForm, message: { kind: 'notice' | 'error'; text: string } | null): Promise<void> => {
    const me = dashboardLocals(res).session?.user.id;
    const users = await listUsers(deps.readDb);
    renderDashboard(res, status, 'settings-users', {
      title: 'Users',
      section: '/settings',
      tab: 'users',
      message,
      form,
      roles: ROLES,
      minPassword: MIN_PASSWORD_LENGTH,
      users: users.map((u) => ({ ...u, self: u.id === me, lastLogin: when(u.lastLoginAt), disabled: when(u.disabledAt) })),
    });
  };

  const NOTICES: Record<string, string> = { created: 'User created. They can sign in now.', changed: 'User updated.' };
  router.get('/', (req, res) => page(res, 200, EMPTY_FORM, typeof req.query.done === 'string' && Object.hasOwn(NOTICES, req.query.done) ? { kind: 'notice', text: NOTICES[req.query.done] as string } : null));

  router.post('/', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const email = formText(body, 'email')?.trim() ?? null;
    // The name is optional: leaving the field out is fine, giving it twice is not.
    const name = body.name === undefined ? '' : (formText(body, 'name')?.trim() ?? null);
    const role = formText(body, 'role');
    const password = formText(body, 'password');
    const form: NewUserForm = { email: email ?? '', name: name ?? '', role: role ?? 'lead', errors: {} };
    // A field given twice (or missing) arrives as something other than one string: refused like a bad value.
    const errors: Record<string, string> = {};
    if (email === null) errors.email = FIELD_MESSAGES.email as string;
    if (name === null) errors.name = FIELD_MESSAGES.name as string;
    if (role === null) errors.role = FIELD_MESSAGES.role as string;
    if (password === null) errors.password = FIELD_MESSAGES.password as string;
    if (Object.keys(errors).length > 0) return page(res, 422, { ...form, errors }, null);
    try {
      const { id } = await createUser(deps.db, deps.clock, { email: email as string, role: role as Role, password: password as string, ...(name ? { name } : {}) });
      deps.logger.info({ event: 'user.created', createdUserId: id, role, userId: dashboardLocals(res).session?.user.id }, 'dashboard user created');
      res.redirect(303, '/settings/users?done=created');
    } catch (error) {
      if (error instanceof ValidationFailed) {
        for (const issue of error.details?.errors ?? []) errors[issue.path] = FIELD_MESSAGES[issue.path] ?? issue.message;
        return page(res, 422, { ...form, errors }, null);
      }
      // Two admins adding the same address at once: the unique index decides; say so like the check does.
      const exists = error instanceof Conflict || (await deps.readDb('users').where({ email: (email as string).toLowerCase() }).first('id')) !== undefined;
      if (!exists) throw error;
      return page(res, 422, { ...form, errors: { email: 'A user with this email already exists.' } }, null);
    }
  });

  const change = (action: string, read: (body: Record<string, unknown>) => AccessChange | null) =>
    router.post(`/:id/${action}`, async (req, res) => {
      const id = req.params.id;
      const wanted = read(req.body as Record<string, unknown>);
      if (!isUuid(id)) return renderDashboardMessage(res, 404, 'No such user', 'There is no user with this id.');
      if (wanted === null) return page(res, 422, EMPTY_FORM, { kind: 'error', text: 'Choose admin or lead.' });
      const actor = dashboardLocals(res).session?.user.id ?? '';
      try {
        await changeUserAccess(deps.db, deps.clock, actor, id, wanted);
      } catch (error) {
        if (error instanceof NotFound) return renderDashboardMessage(res, 404, 'No such user', 'There is no user with this id.');
        if (error instanceof Conflict) return page(res, 409, EMPTY_FORM, { kind: 'error', text: error.message });
        throw error;
      }
      deps.logger.info({ event: 'user.access_changed', changedUserId: id, action, userId: actor }, 'dashboard user changed');
      res.redirect(303, '/settings/users?done=changed');
    });

  change('disable', () => ({ disabled: true }));
  change('enable', () => ({ disabled: false }));
  change('role', (body) => {
    const role = formText(body, 'role');
    return role !== null && (ROLES as readonly string[]).includes(role) ? { role: role as Role } : null;
  });

  return router;
}
