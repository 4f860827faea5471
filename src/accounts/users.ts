/** Dashboard users. Passwords are hashed with argon2id (library defaults: 64 MiB, t=3, p=4). */
import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { z } from 'zod';
import type { Db } from '../db/knex';
import type { Clock } from '../clock';
import { Conflict, ValidationFailed } from '../errors';

export const ROLES = ['admin', 'lead'] as const;
export type Role = (typeof ROLES)[number];

export const MIN_PASSWORD_LENGTH = 12;

const newUser = z.object({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  role: z.enum(ROLES),
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
});

export type NewUser = z.input<typeof newUser>;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function createUser(db: Db, clock: Clock, input: NewUser): Promise<{ id: string }> {
  const parsed = newUser.safeParse(input);
  if (!parsed.success) {
    throw new ValidationFailed(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const { email, role, name, password } = parsed.data;
  if (await db('users').where({ email }).first('id')) throw new Conflict('A user with this email already exists.');
  const id = randomUUID();
  const now = clock();
  await db('users').insert({ id, email, role, name: name ?? null, password_hash: await hashPassword(password), created_at: now, updated_at: now });
  return { id };
}

export async function countUsers(db: Db): Promise<number> {
  const row = (await db('users').count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}
