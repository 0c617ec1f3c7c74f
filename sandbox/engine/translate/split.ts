import { STATEMENT_STARTERS } from './keywords.ts';
import { isGroup, isPunct, word, startOf, type Node } from './tree.ts';

const VERBS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'];
const OBJECT_KINDS = [
  'TABLE',
  'VIEW',
  'INDEX',
  'SCHEMA',
  'PROCEDURE',
  'PROC',
  'FUNCTION',
  'TRIGGER',
  'COLUMN',
  'CONSTRAINT',
  'DATABASE',
  'SEQUENCE',
  'TYPE',
  'USER',
  'ROLE',
  'LOGIN',
  'SYNONYM',
];
const WITH_OPTIONS = [
  'TIES',
  'CHECK',
  'NOCHECK',
  'ROLLUP',
  'CUBE',
  'SCHEMABINDING',
  'ENCRYPTION',
  'VIEW_METADATA',
  'RECOMPILE',
  'EXECUTE',
  'GRANT',
  'LOG',
  'NOWAIT',
  'MARK',
  'VALUES',
];

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
    if (cur.length === 0 && w === 'IF') {
      const end = ifEnd(nodes, i);
      cur = nodes.slice(i, end);
      flush();
      i = end - 1;
      continue;
    }
    if (cur.length === 0 && w === 'WHILE') controlFlow = true;
    // CREATE/ALTER FUNCTION must be alone in its batch on SQL Server: its body (AS RETURN SELECT …) is the rest.
    if (cur.length === 0 && createsFunction(nodes, i)) {
      cur = nodes.slice(i).filter((n) => !isPunct(n, ';'));
      break;
    }
    if (word(cur[0]) === 'WITH' && mainVerb === '' && VERBS.includes(w)) mainVerb = w;
    cur.push(node);
  }
  flush();
  return out;
}

function createsFunction(nodes: readonly Node[], i: number): boolean {
  const w = word(nodes[i]);
  if (w === 'ALTER') return word(nodes[i + 1]) === 'FUNCTION';
  if (w !== 'CREATE') return false;
  return (
    word(nodes[i + 1]) === 'FUNCTION' ||
    (word(nodes[i + 1]) === 'OR' && word(nodes[i + 2]) === 'ALTER' && word(nodes[i + 3]) === 'FUNCTION')
  );
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
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
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
    case 'DROP':
    case 'ALTER':
      return first !== 'ALTER';
    case 'EXEC':
    case 'EXECUTE':
      return eff !== 'INSERT' && prev !== 'WITH' && prev !== 'AS';
    case 'IF':
      return !OBJECT_KINDS.includes(prev);
    default:
      return true;
  }
}

/** Where `IF cond stmt|BEGIN…END [ELSE stmt|BEGIN…END]` starting at `i` ends. */
export function ifEnd(nodes: readonly Node[], i: number): number {
  const cond = conditionEnd(nodes, i + 1);
  let end = branchEnd(nodes, cond);
  if (isPunct(nodes[end], ';') && word(nodes[end + 1]) === 'ELSE') end++;
  if (word(nodes[end]) === 'ELSE') end = branchEnd(nodes, end + 1);
  return end;
}

/** The first top-level word after an IF condition that starts its statement. */
export function conditionEnd(nodes: readonly Node[], from: number): number {
  let k = from;
  while (k < nodes.length && !(STATEMENT_STARTERS.has(word(nodes[k])) && k > from)) k++;
  return k;
}

/** End of one branch: a BEGIN … END block (BEGIN TRAN excluded) or one statement. */
export function branchEnd(nodes: readonly Node[], from: number): number {
  if (word(nodes[from]) === 'BEGIN' && !['TRAN', 'TRANSACTION', 'TRY', 'DISTRIBUTED'].includes(word(nodes[from + 1]))) {
    let depth = 0;
    for (let k = from; k < nodes.length; k++) {
      const w = word(nodes[k]);
      if (w === 'BEGIN' && !['TRAN', 'TRANSACTION', 'DISTRIBUTED'].includes(word(nodes[k + 1]))) depth++;
      else if (w === 'CASE') depth++;
      else if (w === 'END') {
        depth--;
        if (depth === 0) return k + 1;
      }
    }
    return nodes.length;
  }
  if (word(nodes[from]) === 'IF') return ifEnd(nodes, from);
  const first = splitStatements(nodes.slice(from), '')[0];
  const k = from + (first ? first.nodes.length : 1);
  // The splitter does not know ELSE ends an IF branch: cut there (outside CASE … END).
  let cases = 0;
  for (let j = from + 1; j < k; j++) {
    const w = word(nodes[j]);
    if (w === 'CASE') cases++;
    else if (w === 'END') cases--;
    else if (w === 'ELSE' && cases === 0) return j;
  }
  return k;
}
