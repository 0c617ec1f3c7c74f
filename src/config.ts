import { z } from 'zod';
import { ConfigError } from './errors.ts';
import type { OAuthConfig } from './oauth/core/env.ts';
import { OAuthConfigError, oauthConfigFromEnv, oauthEnvShape } from './oauth/core/env.ts';
import { mssqlAuthEnvShape, mssqlAuthFromEnv } from './mssql-auth-env.ts';
import type { MssqlAuth } from './db/auth.ts';
import { telemetryConfigFromEnv, telemetryEnvShape, type TelemetryConfig } from './telemetry/env.ts';
import { parseStateStoreUrl } from './state/url.ts';
import { apiKeysVar, boolVar, cidrListVar, environmentPathVar, intVar, listVar, parsePublicBaseUrl, requiredVar } from './config-values.ts';

/**
 * Default trusted proxies: loopback plus the private ranges Docker networks (compose) use, so the
 * bundled nginx is trusted out of the box. Narrow it (e.g. `TRUSTED_PROXIES=172.18.0.2/32`) when
 * other hosts share those ranges: a trusted peer may set `X-Environment-Path` and `X-Forwarded-For`.
 */
export const DEFAULT_TRUSTED_PROXIES: readonly string[] = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent'], { error: 'must be debug, info, warn, error or silent' }).default('info'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: intVar(8008, 0, 65535),
  PUBLIC_BASE_URL: z.string().optional(),
  ENVIRONMENT_PATH: environmentPathVar(),
  TRUSTED_PROXIES: cidrListVar(DEFAULT_TRUSTED_PROXIES),
  CORS_ALLOWED_ORIGINS: listVar(),
  RATE_LIMIT_PER_MINUTE: intVar(100, 0, 1_000_000),
  MCP_API_KEY: apiKeysVar(),
  ALLOW_UNAUTH_METHODS: boolVar(false),
  ALLOW_UNAUTH_TOOLS_CALL: boolVar(false),
  MSSQL_HOST: requiredVar(),
  MSSQL_PORT: intVar(1433, 1, 65535),
  MSSQL_USER: z.string().optional(),
  MSSQL_PASSWORD: z.string().optional(),
  MSSQL_DATABASE: requiredVar(),
  MSSQL_ENCRYPT: boolVar(true),
  MSSQL_TRUST_SERVER_CERTIFICATE: boolVar(false),
  TrustServerCertificate: boolVar(false),
  ALLOW_WRITABLE_LOGIN: boolVar(false),
  MAX_SEARCH_RESULTS: intVar(50, 1, 10_000),
  QUERY_TIMEOUT_MS: intVar(15_000, 100, 600_000),
  MAX_CONCURRENT_QUERIES: intVar(4, 1, 256),
  MAX_RESULT_BYTES: intVar(200_000, 1_000, 50_000_000),
  MAX_CELL_BYTES: intVar(50_000, 100, 50_000_000),
  MAX_SQL_LENGTH: intVar(20_000, 100, 1_000_000),
  MAX_QUERY_MEMORY_PERCENT: intVar(25, 0, 100),
  SEARCH_THESAURUS: z.string().trim().optional(),
  DENY_SCHEMAS: listVar(),
  DENY_TABLES: listVar(),
  ALLOW_TABLES: listVar(),
  CACHE_TTL_SECONDS: intVar(3600, 1, 7 * 24 * 3600),
  CACHE_MAX_ENTRIES: intVar(1000, 1, 1_000_000),
  CACHE_MAX_MB: intVar(64, 1, 64 * 1024),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  LOG_HASH_SECRET: z.string().trim().min(32, 'must be at least 32 characters').optional(),
  // OAuth 2.1 authorization server (issue 4): its variables are declared in src/oauth/core/env.ts.
  ...oauthEnvShape,
  // Operations (issue 14): metrics, traces, the operator console. Parsed in src/telemetry/env.ts.
  ...telemetryEnvShape,
  // Scale-out (issue 12): state shared by every replica.
  STATE_STORE_URL: z.string().optional(),
  STATE_STORE_CA_FILE: z.string().trim().optional(),
  // The caller's identity in SQL Server (issue 13).
  MSSQL_SESSION_CONTEXT: boolVar(false),
  ...mssqlAuthEnvShape,
});

/** Every variable `loadConfig` reads, for the documentation checks (`.env.example`, README). */
export const configVariableNames: readonly string[] = Object.keys(schema.shape);

export interface Config {
  env: 'development' | 'production' | 'test';
  logLevel: LogLevel;
  server: {
    host: string;
    port: number;
    /** Origin only, no trailing slash; undefined = use the listening address (development only). */
    publicBaseUrl: string | undefined;
    /** '' or `/chatgpt`-like: the public prefix when no trusted proxy announces one. */
    environmentPath: string;
    trustedProxies: string[];
    /** Empty = any origin (bearer auth carries no ambient credentials). */
    corsAllowedOrigins: string[];
    /** 0 disables rate limiting. */
    rateLimitPerMinute: number;
  };
  auth: {
    apiKeys: string[];
    allowUnauthMethods: boolean;
    allowUnauthToolsCall: boolean;
  };
  mssql: {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    encrypt: boolean;
    trustServerCertificate: boolean;
    allowWritableLogin: boolean;
    /** Every query sets the caller as read-only SESSION_CONTEXT keys `mcp.*` (connections reset between uses). */
    sessionContext: boolean;
    /** MSSQL_AUTH and what it needs (user/password are '' for the Entra modes). */
    auth: MssqlAuth;
    readOnlyIntent: boolean;
    /** MSSQL_INSTANCE; SQL Browser then gives the port. */
    instanceName: string | undefined;
  };
  limits: {
    maxSearchResults: number;
    queryTimeoutMs: number;
    maxConcurrentQueries: number;
    maxResultBytes: number;
    /** Longest cell kept while rows stream, never above maxResultBytes. */
    maxCellBytes: number;
    maxSqlLength: number;
    /** `MAX_GRANT_PERCENT` every query runs with; undefined = no cap (MAX_QUERY_MEMORY_PERCENT=0). */
    maxQueryMemoryPercent: number | undefined;
  };
  /** Natural-language search: the operator's extra thesaurus (`SEARCH_THESAURUS`), a path. */
  search: { thesaurusPath: string | undefined };
  policy: { denySchemas: string[]; denyTables: string[]; allowTables: string[] | undefined };
  cache: { ttlSeconds: number; maxEntries: number; maxBytes: number };
  dataDir: string;
  /** Key for the digests of query text and usernames in logs; undefined = generated in DATA_DIR. */
  logHashSecret: string | undefined;
  /** The authorization server's settings (src/oauth/core/env.ts); undefined = OAuth off. */
  oauth: OAuthConfig | undefined;
  /** Metrics, traces and the operator console (src/telemetry/env.ts). */
  telemetry: TelemetryConfig;
  /** Redis shared by every replica (`STATE_STORE_URL`); undefined = this process's own state. */
  stateStore: { url: string; display: string; caFile: string | undefined } | undefined;
}

/** What the operator CLIs (`rotate-keys`, `clients`) need, parsed by the server's own schema. */
export interface CliSettings {
  dataDir: string;
  accessTokenTtlSeconds: number;
  /** With STATE_STORE_URL the CLIs work on the OAuth state in Redis, as the server does. */
  stateStore: Config['stateStore'];
}

function stateStoreFrom(v: { STATE_STORE_URL?: string | undefined; STATE_STORE_CA_FILE?: string | undefined }): Config['stateStore'] {
  if (v.STATE_STORE_URL === undefined) {
    if (v.STATE_STORE_CA_FILE !== undefined) throw new ConfigError('STATE_STORE_CA_FILE', 'is set but STATE_STORE_URL is not');
    return undefined;
  }
  const parsed = parseStateStoreUrl(v.STATE_STORE_URL);
  if ('problem' in parsed) throw new ConfigError('STATE_STORE_URL', parsed.problem);
  if (v.STATE_STORE_CA_FILE !== undefined && !parsed.url.startsWith('rediss:')) {
    throw new ConfigError('STATE_STORE_CA_FILE', 'applies to TLS only: STATE_STORE_URL must start with rediss://');
  }
  return { ...parsed, caFile: v.STATE_STORE_CA_FILE };
}

/**
 * The CLIs' view of the environment: the same variables, defaults and error messages as the
 * server's, so `npm run rotate-keys` without DATA_DIR works on the store the server uses.
 */
export function loadCliSettings(env: Record<string, string | undefined> = process.env): CliSettings {
  const v = parseEnv(
    schema.pick({ DATA_DIR: true, ACCESS_TOKEN_TTL_SECONDS: true, STATE_STORE_URL: true, STATE_STORE_CA_FILE: true }),
    env,
  );
  return { dataDir: v.DATA_DIR, accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS, stateStore: stateStoreFrom(v) };
}

/** Parses with blank values treated as unset; the first issue becomes a ConfigError naming its variable. */
function parseEnv<Schema extends z.ZodType>(shape: Schema, env: Record<string, string | undefined>): z.output<Schema> {
  // Blank values (`LOG_LEVEL=` in an env file) mean "unset": the default applies.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = shape.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid value', { cause: parsed.error });
  }
  return parsed.data;
}

/**
 * Parses the environment once, at startup. Returns a typed, validated Config or throws a
 * ConfigError naming the first variable at fault. Refuses unsafe switches in production and a
 * server that nobody could authenticate to.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const v = parseEnv(schema, env);
  const production = v.NODE_ENV === 'production';

  let publicBaseUrl: string | undefined;
  if (v.PUBLIC_BASE_URL !== undefined && v.PUBLIC_BASE_URL.trim() !== '') {
    const result = parsePublicBaseUrl(v.PUBLIC_BASE_URL, production);
    if ('problem' in result) throw new ConfigError('PUBLIC_BASE_URL', result.problem);
    publicBaseUrl = result.origin;
  } else if (production) {
    throw new ConfigError(
      'PUBLIC_BASE_URL',
      'is required in production (e.g. https://data.example.com): every cited URL and OAuth issuer is built from it',
    );
  }

  const unauth = v.ALLOW_UNAUTH_METHODS || v.ALLOW_UNAUTH_TOOLS_CALL;
  if (production && unauth) {
    const variable = v.ALLOW_UNAUTH_METHODS ? 'ALLOW_UNAUTH_METHODS' : 'ALLOW_UNAUTH_TOOLS_CALL';
    throw new ConfigError(variable, 'is refused when NODE_ENV=production: unauthenticated access would expose the database');
  }
  let oauth: OAuthConfig | undefined;
  try {
    const built = oauthConfigFromEnv(v);
    oauth = built.enabled ? built : undefined;
  } catch (error) {
    if (!(error instanceof OAuthConfigError)) throw error;
    // The error names its own variable: a missing AUTH_USERS is AUTH_USERS's fault.
    throw new ConfigError(error.variable, error.message.slice(error.variable.length + 1), { cause: error });
  }
  if (production && ['true', '1'].includes(v.OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES)) {
    throw new ConfigError(
      'OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES',
      'is refused when NODE_ENV=production: client documents could then reach internal addresses (SSRF)',
    );
  }
  if (production && v.OIDC_ALLOW_HTTP_ISSUER) {
    throw new ConfigError(
      'OIDC_ALLOW_HTTP_ISSUER',
      'is refused when NODE_ENV=production: sign-in answers from the IdP could be read and changed on the way',
    );
  }
  if (v.MCP_API_KEY.length === 0 && oauth === undefined && !unauth) {
    throw new ConfigError(
      'MCP_API_KEY',
      'no authentication is configured: set MCP_API_KEY (or configure OAuth); for local development only, ALLOW_UNAUTH_METHODS/ALLOW_UNAUTH_TOOLS_CALL',
    );
  }

  const stateStore = stateStoreFrom(v);

  const login = mssqlAuthFromEnv(v);
  const trustSource = env.MSSQL_TRUST_SERVER_CERTIFICATE?.trim() ? v.MSSQL_TRUST_SERVER_CERTIFICATE : v.TrustServerCertificate;
  return {
    env: v.NODE_ENV,
    logLevel: v.LOG_LEVEL,
    server: {
      host: v.HOST,
      port: v.PORT,
      publicBaseUrl,
      environmentPath: v.ENVIRONMENT_PATH,
      trustedProxies: v.TRUSTED_PROXIES,
      corsAllowedOrigins: v.CORS_ALLOWED_ORIGINS,
      rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    },
    auth: {
      apiKeys: v.MCP_API_KEY,
      allowUnauthMethods: v.ALLOW_UNAUTH_METHODS,
      allowUnauthToolsCall: v.ALLOW_UNAUTH_TOOLS_CALL,
    },
    mssql: {
      host: v.MSSQL_HOST,
      port: v.MSSQL_PORT,
      user: login.user,
      password: login.password,
      database: v.MSSQL_DATABASE,
      encrypt: v.MSSQL_ENCRYPT,
      trustServerCertificate: trustSource,
      allowWritableLogin: v.ALLOW_WRITABLE_LOGIN,
      sessionContext: v.MSSQL_SESSION_CONTEXT,
      auth: login.auth,
      readOnlyIntent: v.MSSQL_READ_ONLY_INTENT,
      instanceName: v.MSSQL_INSTANCE === undefined || v.MSSQL_INSTANCE === '' ? undefined : v.MSSQL_INSTANCE,
    },
    limits: {
      maxSearchResults: v.MAX_SEARCH_RESULTS,
      queryTimeoutMs: v.QUERY_TIMEOUT_MS,
      maxConcurrentQueries: v.MAX_CONCURRENT_QUERIES,
      maxResultBytes: v.MAX_RESULT_BYTES,
      maxCellBytes: Math.min(v.MAX_CELL_BYTES, v.MAX_RESULT_BYTES),
      maxSqlLength: v.MAX_SQL_LENGTH,
      maxQueryMemoryPercent: v.MAX_QUERY_MEMORY_PERCENT === 0 ? undefined : v.MAX_QUERY_MEMORY_PERCENT,
    },
    search: { thesaurusPath: v.SEARCH_THESAURUS === undefined || v.SEARCH_THESAURUS === '' ? undefined : v.SEARCH_THESAURUS },
    policy: {
      denySchemas: v.DENY_SCHEMAS,
      denyTables: v.DENY_TABLES,
      allowTables: v.ALLOW_TABLES.length > 0 ? v.ALLOW_TABLES : undefined,
    },
    cache: { ttlSeconds: v.CACHE_TTL_SECONDS, maxEntries: v.CACHE_MAX_ENTRIES, maxBytes: v.CACHE_MAX_MB * 1024 * 1024 },
    dataDir: v.DATA_DIR,
    logHashSecret: v.LOG_HASH_SECRET,
    oauth,
    telemetry: telemetryConfigFromEnv(v, production),
    stateStore,
  };
}
