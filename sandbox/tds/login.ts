import type { Backend, Login, Session, SqlMessage } from '../backend.ts';
import { ByteWriter } from './byte-writer.ts';
import { DEFAULT_COLLATION } from './collation.ts';
import { fedAuthAckToken } from './fedauth.ts';
import type { Login7 } from './login7.ts';
import { DEFAULT_PACKET_SIZE, MAX_PACKET_SIZE, MIN_PACKET_SIZE } from './packet.ts';
import { isTds72Plus, negotiateVersion, TDS_7_4 } from './version-types.ts';
import { DoneStatus, doneToken, EnvChange, envChangeBytes, envChangeText, loginAckToken, messageToken, Token } from './tokens.ts';

export interface ServerIdentity {
  serverName: string;
  progName: string;
  version: readonly [number, number, number];
}

export type LoginOutcome =
  | { ok: true; session: Session; packetSize: number; tdsVersion: number; response: Buffer }
  /** `reason`: for the server's log, never sent to the client (it gets SQL Server's messages). */
  | { ok: false; response: Buffer; reason: string };

const loginFailed = (user: string): SqlMessage => ({
  number: 18456,
  state: 1,
  severity: 14,
  message: `Login failed for user '${user}'.`,
  line: 1,
});

/**
 * Authenticates a LOGIN7 against the backend and builds the login response. Success answers as
 * SQL Server does: ENVCHANGE database + INFO 5701, ENVCHANGE collation, ENVCHANGE language + INFO
 * 5703, LOGINACK, ENVCHANGE packet size, DONE. A wrong user or password answers ERROR 18456
 * (severity 14); an unknown database ERROR 4060 followed by 18456. The caller closes the
 * connection after a failure.
 */
export async function performLogin(backend: Backend, login: Login7, identity: ServerIdentity): Promise<LoginOutcome> {
  const w = new ByteWriter();
  const tdsVersion = negotiateVersion(login.tdsVersion) ?? TDS_7_4;
  const wideCount = isTds72Plus(tdsVersion);
  const fail = (reason: string, ...messages: SqlMessage[]): LoginOutcome => {
    for (const message of messages) messageToken(w, Token.ERROR, message, identity.serverName, wideCount);
    doneToken(w, Token.DONE, DoneStatus.ERROR, 0, 0, wideCount);
    return { ok: false, response: Buffer.from(w.view()), reason };
  };
  let who: Login | null = null;
  const token = login.fedAuth?.token;
  try {
    if (login.fedAuth) who = token !== undefined && backend.authenticateToken ? await backend.authenticateToken(token) : null;
    else who = login.integratedSecurity || login.userName === '' ? null : backend.authenticate(login.userName, login.password);
  } catch {
    who = null;
  }
  if (!who && login.fedAuth) {
    return fail(
      'access token not accepted (signature, audience, issuer, expiry or no login for its upn/oid)',
      loginFailed('<token-identified principal>'),
    );
  }
  if (!who) {
    const why = login.integratedSecurity ? 'integrated (Windows) authentication is not supported' : 'wrong user name or password';
    return fail(`${why} for user '${login.userName}'`, loginFailed(login.userName));
  }
  const database = login.database || backend.defaultDatabase;
  if (!backend.hasDatabase(database)) {
    const message = `Cannot open database "${database}" requested by the login. The login failed.`;
    return fail(`unknown database "${database}"`, { number: 4060, state: 1, severity: 11, message, line: 1 }, loginFailed(login.userName));
  }
  let session: Session;
  try {
    session = await backend.openSession(who, database);
  } catch (error) {
    // The engine could not open the database: SQL Server's answer is the same login failure.
    return fail(
      `the engine could not open a session: ${error instanceof Error ? error.message : String(error)}`,
      loginFailed(login.userName),
    );
  }
  const requested = login.packetSize || DEFAULT_PACKET_SIZE;
  const packetSize = Math.min(MAX_PACKET_SIZE, Math.max(MIN_PACKET_SIZE, requested));
  const info = (number: number, message: string): void =>
    messageToken(w, Token.INFO, { number, state: number === 5701 ? 2 : 1, severity: 0, message, line: 1 }, identity.serverName, wideCount);
  envChangeText(w, EnvChange.DATABASE, session.database, 'master');
  info(5701, `Changed database context to '${session.database}'.`);
  envChangeBytes(w, EnvChange.COLLATION, DEFAULT_COLLATION, Buffer.alloc(0));
  envChangeText(w, EnvChange.LANGUAGE, 'us_english', '');
  info(5703, 'Changed language setting to us_english.');
  loginAckToken(w, tdsVersion, identity.progName, identity.version);
  if (login.fedAuth) fedAuthAckToken(w);
  envChangeText(w, EnvChange.PACKET_SIZE, String(packetSize), String(DEFAULT_PACKET_SIZE));
  doneToken(w, Token.DONE, DoneStatus.FINAL, 0, 0, wideCount);
  return { ok: true, session, packetSize, tdsVersion, response: Buffer.from(w.view()) };
}
