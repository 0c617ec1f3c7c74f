import { STATEMENT_STARTERS } from './keywords.ts';
import { isGroup, isPunct, word, startOf, type Node } from './tree.ts';

const VERBS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'];
const OBJECT_KINDS = ['TABLE', 'VIEW', 'INDEX', 'SCHEMA', 'PROCEDURE', 'PROC', 'FUNCTION', 'TRIGGER', 'COLUMN', 'CONSTRAINT', 'DATABASE', 'SEQUENCE', 'TYPE', 'USER', 'ROLE', 'LOGIN', 'SYNONYM'];
const WITH_OPTIONS = ['TIES', 'CHECK', 'NOCHECK', 'ROLLUP', 'CUBE', 'SCHEMABINDING', 'ENCRYPTION', 'VIEW_METADATA', 'RECOMPILE', 'EXECUTE', 'GRANT', 'LOG', 'NOWAIT', 'MARK', 'VALUES'];

/** One statement of a batch: its top-level nodes and the offset where it starts. */
export interface Statement {
  nodes: Node[];
  start: number;
  /** The whole batch text the statement came from. */
  source: string;
}

/**
 * Splits a batch into statements the way SQL Server reads them: semicolons are optional, so a
 * statement also ends where a word that can only start a new statement appears (SELECT after a
 * complete SELECT, INSERT after a SELECT…), while continuations such as INSERT … SELECT, a CTE's
 * main query, UPDATE … SET, ON DELETE CASCADE, ALTER TABLE … DROP and WITH (NOLOCK) stay together.
 * IF/WHILE and anything after them stay one statement (the session refuses control flow).
 */
export function splitStatements(nodes: readonly Node[], source: string): Statement[] {
  const out: Statement[] = [];
  let cur: Node[] = [];
  let mainVerb = '';
  let controlFlow = false;
  const flush = (): void => {
    if (cur.length > 0) out.push({ nodes: cur, start: startOf(cur[0] as Node), source });
    cur = [];
    mainVerb = '';
  };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as Node;
    if (!controlFlow && isPunct(node, ';')) {
      flush();
      continue;
    }
    const w = word(node);
    if (!controlFlow && cur.length > 0 && STATEMENT_STARTERS.has(w) && startsNew(cur, w, nodes[i + 1], mainVerb)) flush();
    if (cur.length === 0 && (w === 'IF' || w === 'WHILE')) controlFlow = true;
    if (word(cur[0]) === 'WITH' && mainVerb === '' && VERBS.includes(w)) mainVerb = w;
    cur.push(node);
  }
  flush();
  return out;
}

function startsNew(cur: readonly Node[], w: string, next: Node | undefined, mainVerb: string): boolean {
  const first = word(cur[0]);
  const eff = first === 'WITH' ? mainVerb : first;
  const last = cur[cur.length - 1];
  const prev = word(last);
  const has = (x: string): boolean => cur.some((n) => word(n) === x);
  if (first === 'GRANT' || first === 'DENY' || first === 'REVOKE') return false;
  switch (w) {
    case 'SELECT':
      if (['UNION', 'ALL', 'EXCEPT', 'INTERSECT'].includes(prev)) return false;
      if (first === 'WITH' && eff === '') return false;
      if (eff === 'INSERT' && !has('SELECT') && !has('VALUES') && !has('EXEC') && !has('EXECUTE')) return false;
      if ((first === 'CREATE' || first === 'ALTER') && prev === 'AS') return false;
      if (first === 'DECLARE' && prev === 'FOR') return false;
      return true;
    case 'INSERT': case 'UPDATE': case 'DELETE':
      if (prev === 'ON' || prev === 'THEN' || prev === 'FOR' || prev === ',') return false;
      if (first === 'WITH' && eff === '') return false;
      if (first === 'MERGE' || first === 'CREATE') return false;
      return true;
    case 'SET':
      if (eff === 'UPDATE' || eff === 'MERGE') return false;
      if (prev === 'DELETE' || prev === 'UPDATE') return false;
      if (first === 'ALTER') return false;
      return true;
    case 'WITH':
      if (isGroup(next) || WITH_OPTIONS.includes(word(next))) return false;
      if (first === 'CREATE' || first === 'ALTER') return false;
      return true;
    case 'DROP': case 'ALTER':
      return first !== 'ALTER';
    case 'EXEC': case 'EXECUTE':
      return eff !== 'INSERT' && prev !== 'WITH' && prev !== 'AS';
    case 'IF':
      return !OBJECT_KINDS.includes(prev);
    default:
      return true;
  }
}
