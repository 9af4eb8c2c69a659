import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '@argus/auth';
import { CaseStore, type CaseUserRow } from '@argus/case-store';
import { createPgPool } from '@argus/pg';

export interface NewUser {
  readonly id: string;
  readonly name: string;
  readonly role: CaseUserRow['role'];
  readonly password: string;
}

/** A password for a person to type once and change: 16 random bytes, base64url (128 bits). */
export function generatePassword(): string {
  return randomBytes(16).toString('base64url');
}

/** Runs `fn` on a migrated case store (the case service would migrate it too; migrations are locked). */
export async function withCaseStore<T>(pgUrl: string, fn: (store: CaseStore) => Promise<T>): Promise<T> {
  const pool = createPgPool({ url: pgUrl, applicationName: 'argus-cli-cases', max: 2 });
  try {
    const store = new CaseStore(pool);
    await store.migrate();
    return await fn(store);
  } finally {
    await pool.end();
  }
}

/** Creates the user, or updates their name, role and password. */
export async function saveUser(store: CaseStore, user: NewUser, disabled = false): Promise<void> {
  await store.upsertUser({
    id: user.id,
    displayName: user.name,
    role: user.role,
    passwordHash: await hashPassword(user.password),
    disabled,
  });
}

/** The demo's console users: an analyst and two supervisors (four eyes needs a second person). */
const DEMO_USERS: ReadonlyArray<Omit<NewUser, 'password'>> = [
  { id: 'analyst', name: 'Ana Lyst', role: 'analyst' },
  { id: 'supervisor', name: 'Sue Pervisor', role: 'supervisor' },
  { id: 'supervisor2', name: 'Sam Second', role: 'supervisor' },
];

/**
 * The local demo's console logins, with passwords made once per checkout and kept in
 * .argus/secrets/console-users.json (mode 0600, never committed), so the demo can print them.
 */
export async function ensureDemoUsers(repoRoot: string, pgUrl: string): Promise<NewUser[]> {
  const dir = join(repoRoot, '.argus', 'secrets');
  const file = join(dir, 'console-users.json');
  let users: NewUser[];
  if (existsSync(file)) {
    users = JSON.parse(readFileSync(file, 'utf8')) as NewUser[];
  } else {
    users = DEMO_USERS.map((user) => ({ ...user, password: generatePassword() }));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  }
  await withCaseStore(pgUrl, async (store) => {
    for (const user of users) await saveUser(store, user);
  });
  return users;
}
