// Fresh tenants for tests, made with the real CLI (clientd create-user and
// create-token), so no test depends on another's data.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { BIN, OWNER_DSN } from './env.mjs';

export function uid() {
  return randomBytes(5).toString('hex');
}

export function cli(args, input) {
  return execFileSync(BIN, args, {
    input, encoding: 'utf8', env: { ...process.env, DATABASE_OWNER_URL: OWNER_DSN },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

// A new company with an owner (password known) and an API token.
export function newCompany(label = 'Test') {
  const email = `owner-${uid()}@test.example`;
  const password = `pw-${uid()}-secret`;
  cli(['create-user', '--company-name', `${label} ${uid()}`, '--email', email,
    '--name', 'Test Owner', '--password-stdin'], password + '\n');
  const token = cli(['create-token', '--email', email, '--token-name', 'test']).trim();
  return { email, password, token };
}

// A user of an existing company (by company public id).
export function newUser(companyId, role = 'member') {
  const email = `${role}-${uid()}@test.example`;
  const password = `pw-${uid()}-secret`;
  cli(['create-user', '--company', companyId, '--email', email, '--role', role,
    '--password-stdin'], password + '\n');
  const token = cli(['create-token', '--email', email, '--token-name', 'test']).trim();
  return { email, password, token };
}

// A company whose owner's token may make tokens (the explicit
// "tokens.create" permission, hardening-7).
export async function tokenMaker(label = 'Tokens') {
  const co = newCompany(label);
  await setPermissions(co.email, ['tokens.create']);
  return co;
}

// Sets a user's permissions (there is no user-management API yet).
export async function setPermissions(email, permissions) {
  const { asOwner } = await import('./db.mjs');
  await asOwner((db) => db.query('UPDATE users SET permissions = $2 WHERE email = $1', [email, permissions]));
}
