/** `rapport user create` and `rapport api-key create|list|revoke`. */
import readline from 'node:readline';
import { createApiKey, listApiKeys, revokeApiKey } from '../accounts/api-keys';
import { createUser, ROLES, type Role } from '../accounts/users';
import { migrateLatest } from '../db/knex';
import { ValidationFailed } from '../errors';
import { closeRuntime, openRuntime, type Runtime } from './runtime';

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = openRuntime();
  try {
    await migrateLatest(rt.db);
    return await fn(rt);
  } finally {
    await closeRuntime(rt);
  }
}

/** The password: piped on stdin (first line), or typed at a prompt without echo. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '');
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  process.stdout.write('Password: ');
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  muted._writeToOutput = () => undefined;
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

export async function userCreate(args: { email?: string; role?: string; name?: string }): Promise<void> {
  if (!args.email || !args.role) throw new UsageError('user create --email E --role admin|lead [--name N]   (password on stdin)');
  if (!ROLES.includes(args.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const password = await readPassword();
  await withRuntime(async (rt) => {
    try {
      const { id } = await createUser(rt.db, rt.clock, { email: args.email as string, role: args.role as Role, name: args.name, password });
      console.log(id);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        throw new UsageError(error.details?.errors?.map((e) => `${e.path} ${e.message}`).join('; ') ?? error.message);
      }
      throw error;
    }
  });
}

export async function apiKeyCreate(args: { name?: string }): Promise<void> {
  if (!args.name) throw new UsageError('api-key create --name N');
  await withRuntime(async (rt) => {
    const key = await createApiKey(rt.db, rt.clock, args.name as string);
    console.log(`Created API key "${key.name}" (id ${key.id}). Store it now: it is not shown again.`);
    console.log(key.key);
  });
}

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

export async function apiKeyList(): Promise<void> {
  await withRuntime(async (rt) => {
    const keys = await listApiKeys(rt.db);
    if (keys.length === 0) return void console.log('No API keys yet. Create one with: npx rapport api-key create --name NAME');
    console.log(['id', 'name', 'prefix', 'created', 'last used', 'revoked'].join('\t'));
    for (const k of keys) console.log([k.id, k.name, `${k.prefix}…`, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)].join('\t'));
  });
}

export async function apiKeyRevoke(id: string | undefined): Promise<void> {
  if (!id) throw new UsageError('api-key revoke ID');
  await withRuntime(async (rt) => {
    if (!(await revokeApiKey(rt.db, rt.clock, id))) throw new UsageError(`no active API key with id ${id}`);
    console.log(`Revoked API key ${id}.`);
  });
}

export class UsageError extends Error {}
