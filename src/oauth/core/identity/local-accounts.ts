import type { IdentitySource } from './person.ts';

/**
 * Local operator accounts (AUTH_USERS). The password check itself stays in `signin.ts`; this
 * answers whether an account still exists. Operators are trusted with the whole database, so they
 * are administrators (any cached result on `/records`).
 */
export function localAccounts(usernames: readonly string[]): IdentitySource {
  const names = new Set(usernames);
  return {
    source: 'local',
    admit: (person) =>
      names.has(person.subject)
        ? { ok: true, admin: true }
        : { ok: false, code: 'unknown_account', message: 'This operator account no longer exists.' },
  };
}
