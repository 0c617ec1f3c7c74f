import type { Identities, Person } from './identity/person.ts';

/**
 * Who may open the operator console (`/admin`): one question, asked in one place. The identity
 * seam answers it: local operator accounts (AUTH_USERS) are administrators, and so are company-IdP
 * people in OIDC_ADMIN_GROUPS; everyone else is not, even when allowed to connect.
 */
export type IsAdmin = (person: Person) => boolean;

/** The rule above, from the identity seam's admission of the person under today's configuration. */
export function adminsByAdmission(identities: Identities): IsAdmin {
  return (person) => {
    const admission = identities.admit(person);
    return admission.ok && admission.admin;
  };
}
