/** The person a browser session belongs to, as far as the console needs to know. */
export interface ConsolePerson {
  /** Our stable subject: a local operator's username (a company-IdP person's `<issuer>#<sub>` later). */
  subject: string;
}

/**
 * Who may open the operator console (`/admin`): one question, asked in one place. Today every
 * signed-in local operator account (AUTH_USERS) is an administrator — they already approve clients
 * and read every record. With company sign-in the answer becomes "is in the admin group" (the
 * identity seam's admission), and only this function changes.
 */
export type IsAdmin = (person: ConsolePerson) => boolean;

/** Today's rule: the subject is one of the configured local operator accounts. */
export function localOperatorsAreAdmins(operators: readonly string[]): IsAdmin {
  const accounts = new Set(operators);
  return (person) => accounts.has(person.subject);
}
