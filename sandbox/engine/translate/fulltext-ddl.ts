import { syntaxError, TsqlError } from '../errors.ts';
import { quoteLiteral } from './context.ts';
import { objectName } from './ddl.ts';
import type { Emitter } from './emit.ts';
import type { Translated } from './statement.ts';
import { findWord, isGroup, isIdentLike, isPunct, nodeText, splitCommas, word, type Node } from './tree.ts';

/**
 * CREATE/ALTER/DROP FULLTEXT CATALOG and FULLTEXT INDEX. Each becomes a call of the engine's
 * PL/pgSQL (bootstrap/fulltext.ts), which checks the statement as SQL Server would (key index
 * unique, single-column, non-null; columns character-typed; catalog present) and builds the GIN
 * index synchronously, so a new index is populated as soon as the statement returns. Filegroups,
 * paths, stoplists and property lists are accepted and ignored; ALTER … START/STOP POPULATION,
 * ENABLE/DISABLE and ALTER FULLTEXT CATALOG … REBUILD/REORGANIZE are accepted as no-ops.
 */
export function translateFullTextDdl(nodes: readonly Node[], verb: string, at: number, e: Emitter): Translated {
  const kind = word(nodes[at]);
  if (e.ctx.trancount > 0 && verb !== 'ALTER') {
    throw new TsqlError(574, `${verb} FULLTEXT ${kind} statement cannot be used inside a user transaction.`, { state: 0 });
  }
  const done = (sql: string, target?: [string, string]): Translated => ({ kind: 'exec', sql, verb, target, ddl: true });
  if (kind === 'CATALOG') {
    const name = nodes[at + 1];
    if (!isIdentLike(name)) throw syntaxError(nodeText(name));
    if (verb === 'DROP') return done(`SELECT tsql.ft_drop_catalog(${quoteLiteral(name.value)})`);
    if (verb === 'ALTER') return done('SELECT 1');
    const rest = nodes.slice(at + 2).map(word);
    const asDefault = rest.join(' ').includes('AS DEFAULT');
    const accentAt = rest.indexOf('ACCENT_SENSITIVITY');
    const accent = accentAt < 0 || rest[accentAt + 2] !== 'OFF';
    return done(`SELECT tsql.ft_create_catalog(${quoteLiteral(name.value)}, ${asDefault}, ${accent})`);
  }
  if (kind !== 'INDEX' || word(nodes[at + 1]) !== 'ON') throw syntaxError(nodeText(nodes[at]));
  const t = objectName(nodes, at + 2, e);
  const target: [string, string] = [t.schema, t.name];
  if (verb === 'DROP') return done(`SELECT tsql.ft_drop_index(${quoteLiteral(t.schema)}, ${quoteLiteral(t.name)})`, target);
  if (verb === 'ALTER') return done('SELECT 1', target);
  const cols = nodes[t.end];
  if (!isGroup(cols) || cols.items.length === 0)
    throw new TsqlError(40010, 'CREATE FULLTEXT INDEX without a column list is not supported by the sandbox.');
  const columns = splitCommas(cols.items).map(fullTextColumn);
  const keyAt = t.end + 1;
  const keyNode = nodes[keyAt + 2];
  if (word(nodes[keyAt]) !== 'KEY' || word(nodes[keyAt + 1]) !== 'INDEX' || !isIdentLike(keyNode))
    throw syntaxError(nodeText(nodes[keyAt]));
  const keyIndex = keyNode.value;
  let k = keyAt + 3;
  let catalog: string | undefined;
  if (word(nodes[k]) === 'ON') {
    const spec = nodes[k + 1];
    if (isIdentLike(spec)) catalog = spec.value;
    else if (isGroup(spec)) {
      for (const part of splitCommas(spec.items)) if (word(part[0]) !== 'FILEGROUP' && isIdentLike(part[0])) catalog = part[0].value;
    } else throw syntaxError(nodeText(spec));
    k += 2;
  }
  const options = nodes.slice(k);
  const withAt = findWord(options, ['WITH']);
  const flat = withAt < 0 ? [] : options.slice(withAt + 1).flatMap((n) => (isGroup(n) ? n.items : [n]));
  const trackAt = flat.findIndex((n) => word(n) === 'CHANGE_TRACKING');
  const mode = trackAt < 0 ? 'AUTO' : word(isPunct(flat[trackAt + 1], '=') ? flat[trackAt + 2] : flat[trackAt + 1]);
  const tracking = mode === 'MANUAL' ? 'M' : mode === 'OFF' ? 'O' : mode === 'AUTO' ? 'A' : undefined;
  if (!tracking) throw syntaxError(mode || 'CHANGE_TRACKING');
  const names = `ARRAY[${columns.map((c) => quoteLiteral(c.name)).join(', ')}]::text[]`;
  const langs = `ARRAY[${columns.map((c) => c.language).join(', ')}]::integer[]`;
  const cat = catalog === undefined ? 'NULL' : quoteLiteral(catalog);
  return done(
    `SELECT tsql.ft_create_index(${quoteLiteral(t.schema)}, ${quoteLiteral(t.name)}, ${quoteLiteral(keyIndex)}, ${cat}, ${names}, ${langs}, '${tracking}')`,
    target,
  );
}

/** `column [TYPE COLUMN c] [LANGUAGE term] [STATISTICAL_SEMANTICS]`; a language given by name counts as English. */
function fullTextColumn(def: Node[]): { name: string; language: number } {
  const name = def[0];
  if (!isIdentLike(name)) throw syntaxError(nodeText(name));
  const langAt = def.findIndex((n) => word(n) === 'LANGUAGE');
  const term = langAt < 0 ? undefined : def[langAt + 1];
  let language = 1033;
  if (term?.kind === 'number') language = Number(term.text);
  else if (term?.kind === 'binary') language = Number.parseInt(term.text.slice(2), 16);
  if (!Number.isInteger(language) || language < 0) throw syntaxError(nodeText(term));
  return { name: name.value, language };
}
