import { withIdentity } from '../db/with-identity.ts';
import type { Catalog } from '../db/types.ts';
import { describeTable, findTable, listTables, tableFetch, unknownSchema, visibleTables } from './catalog-forms.ts';
import type { ResearchDeps } from './context.ts';
import { fetchResult, fetchResultRow, fetchRow } from './fetch-forms.ts';
import { classifyQuery } from './forms.ts';
import { parseId } from './ids.ts';
import { buildInstructions } from './instructions.ts';
import { naturalLanguageSearch } from './nl/search.ts';
import { startMeter, type Meter } from './outcome.ts';
import { DEFAULT_SAMPLE_ROWS, runApproved, runGuardedSql, sampleSql } from './sql-forms.ts';
import type { FetchOutput, Outcome, Research, ResearchContext, SearchOutput } from './types.ts';

export type { CachedResult, ResearchDeps, ResearchLimits } from './context.ts';

/** Longest search query accepted; the guard has its own (usually smaller) limit for SQL. */
export const MAX_QUERY_LENGTH = 100_000;

/**
 * What `search` and `fetch` mean. Every expected failure — refusal, timeout, unknown id — is an
 * `Outcome` value with a stable code and a message written for the model; nothing here throws
 * for them. Every table touched passes `guard.allowsTable`; every piece of SQL a caller wrote
 * passes `guard.check`; values never enter SQL text.
 */
export function createResearch(shared: ResearchDeps): Research {
  const deps = shared;
  // Each call's queries run as its caller (SESSION_CONTEXT), through the same database.
  const forCaller = (ctx: ResearchContext): ResearchDeps =>
    ctx.identity ? { ...shared, db: withIdentity(shared.db, ctx.identity) } : shared;
  const catalogOr = async <T>(meter: Meter): Promise<Catalog | Outcome<T>> => {
    try {
      return await deps.db.catalog();
    } catch (err) {
      return meter.dbFailure<T>(err);
    }
  };
  const isOutcome = <T>(v: Catalog | Outcome<T>): v is Outcome<T> => 'ok' in v;

  return {
    async search(query: string, ctx: ResearchContext): Promise<Outcome<SearchOutput>> {
      const deps = forCaller(ctx);
      if (query.trim().length === 0 || query.length > MAX_QUERY_LENGTH) {
        return startMeter('invalid').fail(
          'INVALID_INPUT',
          'The query is empty or too long. Try `list tables`, or describe in words what you are looking for.',
        );
      }
      const form = classifyQuery(query);
      const meter = startMeter(form.form);
      // The guard decides before anything touches the database, so a refusal never needs the catalog.
      const verdict = form.form === 'sql' ? deps.guard.check(form.sql) : undefined;
      if (verdict && !verdict.ok) return meter.refused(verdict);
      const catalog = await catalogOr<SearchOutput>(meter);
      if (isOutcome(catalog)) return catalog;
      switch (form.form) {
        case 'list_tables': {
          const listed = listTables(deps, catalog, form.schema, ctx, meter, form.views);
          if (listed) return listed;
          // "list tables in human resources" names no schema: read as words, like an unknown `describe`;
          // when the words find nothing either, the schemas there are.
          const words = await naturalLanguageSearch(deps, catalog, query, ctx, startMeter('natural_language'));
          return words.ok && words.value.results.length > 0 ? words : unknownSchema(deps, catalog, form.schema, meter);
        }
        case 'describe':
          return (
            describeTable(deps, catalog, form.table, ctx, meter) ??
            naturalLanguageSearch(deps, catalog, form.table, ctx, startMeter('natural_language'))
          );
        case 'sample': {
          const found = findTable(deps, catalog, form.table);
          // "sample orders from France" names no table: read it as words, like an unknown `describe`.
          if (!('table' in found) && found.code === 'NOT_FOUND')
            return naturalLanguageSearch(deps, catalog, query, ctx, startMeter('natural_language'));
          if (!('table' in found)) return meter.fail(found.code, found.message);
          const limit = Math.min(form.limit ?? DEFAULT_SAMPLE_ROWS, deps.limits.maxResults);
          if (limit < 1) return meter.fail('INVALID_INPUT', 'The sample limit must be at least 1.');
          return runGuardedSql(deps, catalog, sampleSql(found.table, limit), ctx, meter, { form: 'sample', maxRows: limit });
        }
        case 'sql':
          if (!verdict?.ok) return meter.fail('INVALID_INPUT', 'The query could not be judged.');
          return runApproved(deps, catalog, verdict, ctx, meter, { form: 'sql', maxRows: deps.limits.maxResults });
        case 'natural_language':
          return naturalLanguageSearch(deps, catalog, form.text, ctx, meter);
      }
    },

    async fetch(id: string, ctx: ResearchContext): Promise<Outcome<FetchOutput>> {
      const deps = forCaller(ctx);
      const parsed = parseId(id.trim());
      if (!parsed) {
        return startMeter('invalid').fail(
          'INVALID_INPUT',
          `"${id.slice(0, 80)}" is not an id this server issued. Pass an id exactly as \`search\` returned it.`,
        );
      }
      const meter = startMeter(parsed.kind);
      if (parsed.kind === 'result') return fetchResult(deps, parsed.uuid, ctx, meter);
      if (parsed.kind === 'result_row') return fetchResultRow(deps, parsed.uuid, parsed.row, ctx, meter);
      const catalog = await catalogOr<FetchOutput>(meter);
      if (isOutcome(catalog)) return catalog;
      if (parsed.kind === 'row') return fetchRow(deps, catalog, parsed.schema, parsed.name, parsed.key, ctx, meter);
      const found = findTable(deps, catalog, `[${parsed.schema.replace(/]/g, ']]')}].[${parsed.name.replace(/]/g, ']]')}]`);
      if (!('table' in found))
        return meter.fail(
          found.code,
          found.code === 'NOT_FOUND' ? `${parsed.schema}.${parsed.name} does not exist (any more). Run \`list tables\`.` : found.message,
        );
      return tableFetch(deps, catalog, found.table, ctx, meter);
    },

    async instructions(): Promise<string> {
      try {
        const catalog = await deps.db.catalog();
        return buildInstructions(catalog, visibleTables(deps, catalog), deps.limits.maxResults);
      } catch {
        return 'Read-only access to a Microsoft SQL Server database. Search with `list tables`, `describe <table>`, `sample <table>`, a SELECT statement, or plain words; fetch any id a search returned.';
      }
    },
  };
}
