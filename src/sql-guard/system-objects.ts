/**
 * System objects no query may name, whatever the configuration: decided per *class* from SQL
 * Server's documentation (system catalog views, dynamic management views and functions, system
 * functions), so a member of a class that is missing from a list is still refused by its prefix.
 *
 * Classes (the names the refusals and docs/security.md use):
 * - `log`: transaction-log readers (`fn_dblog`, `fn_dump_dblog`, `fn_full_dblog`, `fn_dblog_xtp`,
 *   `fn_dump_dblog_xtp`, …, every `*DBLOG*`) and every log or transaction DMV (`dm_db_log_*`, `dm_tran_*`);
 * - `sessions`: other sessions' SQL text and plans — every dynamic management object (`dm_*`) except a
 *   short list of per-database size and usage views, Query Store (`query_store_*`), plan guides,
 *   extended events (`fn_xe_*`, `*event_session*`, `xe_*`), traces (`traces`, `trace_*`, `fn_trace_*`),
 *   `fn_get_sql`, `sysprocesses`, `syscacheobjects`, `syslockinfo`;
 * - `secrets`: key and password material — `DECRYPTBY*`, `ENCRYPTBY*`, `SIGNBY*`, `VERIFYSIGNEDBY*`,
 *   `CERTPRIVATEKEY`, `CERTENCODED`, `CERTPROPERTY`, `sys.cert*`, `ASYMKEY*`/`SYMKEY*`, `IS_OBJECTSIGNED`, `PWDCOMPARE`, `PWDENCRYPT`,
 *   `LOGINPROPERTY`, and the catalogs of logins, credentials, keys, certificates and encryption keys;
 * - `server`: server configuration, logins, endpoints, audits, linked servers, availability groups
 *   and resource governor (`configurations`, `server_*`, the endpoint views, `servers`, `master_files`, …), and every
 *   `sys.fn_*` function but three that describe this database's own metadata;
 * - `procedures`: extended and system procedures (`xp_*`, `sp_*`, any part of a name);
 * - `external`: `OPENROWSET`, `OPENQUERY`, `OPENDATASOURCE`, `OPENXML` and the external data
 *   source catalogs;
 * - `databases`: `msdb` (jobs, mail, backups) and `tempdb` (other sessions' temporary objects),
 *   and four-part names (another server).
 */

const words = (s: string): Set<string> => new Set(s.trim().split(/\s+/));

/** A class of dangerous system objects. */
export type SystemObjectClass = 'log' | 'sessions' | 'secrets' | 'server' | 'procedures' | 'external' | 'databases';

/** Dynamic management objects that only describe the current database's own sizes and index usage. */
const ALLOWED_DM = words(`
DM_DB_PARTITION_STATS DM_DB_INDEX_USAGE_STATS DM_DB_FILE_SPACE_USAGE DM_DB_PERSISTED_SKU_FEATURES
DM_SQL_REFERENCED_ENTITIES DM_SQL_REFERENCING_ENTITIES DM_DB_STATS_PROPERTIES`);

/** `fn_*` system functions that only describe the current database's own metadata. */
const ALLOWED_FN = words('FN_LISTEXTENDEDPROPERTY FN_MY_PERMISSIONS FN_BUILTIN_PERMISSIONS');

/** Catalog views and functions refused by exact name (in `sys`, or without a schema). */
const NAMED: Record<string, SystemObjectClass> = {};
const name = (cls: SystemObjectClass, list: string): void => {
  for (const w of words(list)) NAMED[w] = cls;
};
name(
  'sessions',
  `
SYSPROCESSES SYSCACHEOBJECTS SYSLOCKINFO SYSLOCKS SYSPERFINFO TRACES TRACE_CATEGORIES TRACE_COLUMNS
TRACE_EVENTS TRACE_EVENT_BINDINGS TRACE_SUBCLASS_VALUES PLAN_GUIDES QUERY_CONTEXT_SETTINGS
EVENT_NOTIFICATIONS SERVER_EVENT_NOTIFICATIONS DATABASE_QUERY_STORE_OPTIONS TRANSMISSION_QUEUE DATABASE_QUERY_STORE_INTERNAL_STATE
FN_GET_SQL FN_STMT_SQL_HANDLE_FROM_SQL_STMT`,
);
name(
  'secrets',
  `
SQL_LOGINS SYSLOGINS SYSXLOGINS SYSREMOTELOGINS SYSLINKEDLOGINS SYSOLEDBUSERS LINKED_LOGINS REMOTE_LOGINS
CREDENTIALS DATABASE_CREDENTIALS DATABASE_SCOPED_CREDENTIALS MASTER_KEY_PASSWORDS SYMMETRIC_KEYS
ASYMMETRIC_KEYS CERTIFICATES KEY_ENCRYPTIONS CRYPT_PROPERTIES CRYPTOGRAPHIC_PROVIDERS
COLUMN_MASTER_KEYS COLUMN_ENCRYPTION_KEYS COLUMN_ENCRYPTION_KEY_VALUES SECURITY_POLICIES
LOGIN_TOKEN USER_TOKEN OPENKEYS LOGINPROPERTY PWDCOMPARE PWDENCRYPT`,
);
name(
  'server',
  `
CONFIGURATIONS SYSCONFIGURES SYSCURCONFIGS DATABASE_SCOPED_CONFIGURATIONS SERVERS SYSSERVERS
ENDPOINTS ENDPOINT_WEBMETHODS MASTER_FILES SYSALTFILES SYSDEVICES BACKUP_DEVICES
 SYSTEM_COMPONENTS_SURFACE_AREA_CONFIGURATION DATABASE_MIRRORING_WITNESSES
DATABASE_MIRRORING_ENDPOINTS DATABASE_RECOVERY_STATUS DATABASE_AUDIT_SPECIFICATIONS
DATABASE_AUDIT_SPECIFICATION_DETAILS SYSOPENTAPES`,
);
name(
  'external',
  `
OPENROWSET OPENQUERY OPENDATASOURCE OPENXML EXTERNAL_DATA_SOURCES EXTERNAL_FILE_FORMATS
EXTERNAL_TABLES EXTERNAL_LIBRARIES EXTERNAL_LIBRARY_FILES EXTERNAL_LANGUAGES EXTERNAL_LANGUAGE_FILES
EXTERNAL_JOB_STREAMS EXTERNAL_STREAMS EXTERNAL_STREAMING_JOBS GET_FILESTREAM_TRANSACTION_CONTEXT`,
);

/** Prefixes of whole classes that no user object plausibly carries: refused in any position. */
const DISTINCTIVE: [RegExp, SystemObjectClass][] = [
  [/DBLOG/, 'log'],
  [/^(QUERY_STORE_|FN_XE_|FN_TRACE_)/, 'sessions'],
  [
    /^(DECRYPTBY|ENCRYPTBY|SIGNBY|VERIFYSIGNEDBY|CERTPRIVATEKEY|CERTENCODED|CERTPROPERTY|CERT_ID|ASYMKEY_ID|ASYMKEYPROPERTY|SYMKEYPROPERTY|PWDCOMPARE|PWDENCRYPT|IS_OBJECTSIGNED)/,
    'secrets',
  ],
  [/^(XP_|SP_)/, 'procedures'],
];

/** Prefixes of classes whose words a user column could carry (`server_name`): refused under `sys`. */
const SYS_PREFIXES: [RegExp, SystemObjectClass][] = [
  [/^(XE_|TRACE_|DATABASE_EVENT_SESSION|SERVER_EVENT_SESSION|EVENT_SESSION)/, 'sessions'],
  [/^(CERT|ASYMKEY|SYMKEY|COLUMN_MASTER_KEY|COLUMN_ENCRYPTION_KEY|OPENKEYS)/, 'secrets'],
  [
    /^(SERVER|AVAILABILITY_|HADR_|RESOURCE_GOVERNOR|DATABASE_MIRRORING|AUDIT_|DATABASE_AUDIT_|(TCP|HTTP|SOAP|VIA|SERVICE_BROKER|DATABASE_MIRRORING)_ENDPOINTS$|EXTERNAL_)/,
    'server',
  ],
];

/**
 * The dangerous class of one name part, or undefined. `schema` is the folded part before it ('' when
 * there is none). Distinctive prefixes (`dm_*`, `*dblog*`, `DECRYPTBY*`, `xp_*`) are refused
 * anywhere; `fn_*` system functions and named catalog views in `sys` or without a schema (where
 * SQL Server resolves system objects); the other prefixes under `sys`.
 */
export function systemObjectClass(part: string, schema: string): SystemObjectClass | undefined {
  if (part === '') return undefined;
  if (/^DM_/.test(part)) return ALLOWED_DM.has(part) ? undefined : /^DM_(DB_LOG|TRAN)/.test(part) ? 'log' : 'sessions';
  for (const [re, cls] of DISTINCTIVE) if (re.test(part)) return cls;
  const sys = schema === 'SYS';
  if (sys) for (const [re, cls] of SYS_PREFIXES) if (re.test(part)) return cls;
  if ((sys || schema === '') && /^FN_/.test(part) && !ALLOWED_FN.has(part)) return 'server';
  const named = NAMED[part];
  // Backward-compatibility views (sysprocesses, syslogins, …) also resolve as `dbo.name` in every database.
  if (named !== undefined && (sys || schema === '' || schema === 'INFORMATION_SCHEMA' || part.startsWith('SYS'))) return named;
  return undefined;
}

const CLASS_TEXT: Record<SystemObjectClass, string> = {
  log: 'reads the transaction log',
  sessions: "exposes other sessions' SQL text, plans or server internals",
  secrets: 'exposes keys, passwords or credentials',
  server: 'exposes server configuration, logins or files',
  procedures: 'is a system or extended procedure',
  external: 'reaches files or other servers',
  databases: 'is in a system database',
};

/** Why `parts` (folded `db.schema.name`) names a dangerous system object, or undefined. */
export function deniedSystemObject(folded: readonly string[], spelled: string): string | undefined {
  for (let i = 0; i < folded.length; i++) {
    // Any part can be the object: `sys.dm_exec_sessions.session_id` names the view as well.
    const cls = systemObjectClass(folded[i] ?? '', i >= 1 ? (folded[i - 1] ?? '') : '');
    if (cls !== undefined) return `${spelled} ${CLASS_TEXT[cls]} (${cls})`;
  }
  if (folded.length >= 4) return `${spelled} reaches another server (four-part name)`;
  if (folded.length === 3 && (folded[0] === 'MSDB' || folded[0] === 'TEMPDB')) return `${spelled} ${CLASS_TEXT.databases} (databases)`;
  return undefined;
}
