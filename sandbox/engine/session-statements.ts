import type { BatchEvent } from '../backend.ts';
import { syntaxError, TsqlError } from './errors.ts';
import { runSimple } from './pg.ts';
import { runProcedure } from './procedures.ts';
import type { Runtime } from './runtime.ts';
import type { Variables } from './session-state.ts';
import { evalScalar } from './statements.ts';
import { readChain } from './translate/emit.ts';
import { endOf, isGroup, isPunct, nodeText, splitCommas, startOf, word, type Node } from './translate/tree.ts';
import { branchEnd, conditionEnd } from './translate/split.ts';
import { collectQuery } from './executor.ts';
import { mapType } from './translate/types.ts';
import type { Statement } from './translate/split.ts';
import { objectName } from './translate/ddl.ts';
import { isSecurityStatement, runSecurityStatement } from './security-statements.ts';
import { setTextSize } from './text-size.ts';
import { createEmitter } from './translate/emit.ts';
import { loadFullText } from './fulltext-context.ts';
import { contextFor, runOptions, withForSubqueries } from './statements.ts';
import { begin, commit, rollback } from './transactions.ts';

/**
 * Statements the session interprets itself: SET options and variables, USE, DECLARE, transactions,
 * WAITFOR, PRINT, RAISERROR/THROW, EXEC and GRANT. Returns false for anything else.
 */
export async function* runSessionStatement(
  rt: Runtime,
  stmt: Statement,
  vars: Variables,
  first: string,
): AsyncGenerator<BatchEvent, boolean> {
  const n = stmt.nodes;
  const s = rt.state;
  switch (first) {
    case 'SET':
      yield* setStatement(rt, n, vars);
      return true;
    case 'USE': {
      const name = nodeText(n[1]) && n[1]?.kind !== 'group' ? (n[1] as { value: string }).value : '';
      const found = rt.findDatabase(name);
      if (!found)
        throw new TsqlError(911, `Database '${name}' does not exist. Make sure that the name is entered correctly.`, { state: 1 });
      s.database = found;
      yield { kind: 'database', name: found };
      yield { kind: 'info', message: { number: 5701, state: 2, severity: 0, message: `Changed database context to '${found}'.`, line: 1 } };
      yield { kind: 'done' };
      return true;
    }
    case 'DECLARE':
      yield* declare(rt, n, vars);
      return true;
    case 'BEGIN':
      if (['TRAN', 'TRANSACTION', 'DISTRIBUTED'].includes(word(n[1]))) {
        yield* begin(rt);
        return true;
      }
      throw new TsqlError(40012, 'Control-of-flow (BEGIN…END, TRY…CATCH) is not supported by the sandbox.');
    case 'COMMIT':
      yield* commit(rt);
      return true;
    case 'ROLLBACK':
      yield* rollback(rt);
      return true;
    case 'SAVE': {
      if (s.trancount === 0) throw new TsqlError(628, 'Cannot issue SAVE TRANSACTION when there is no active transaction.');
      await runSimple(rt.pg, `SAVEPOINT "sp_${nodeText(n[2]).toLowerCase().replace(/\W/g, '')}"`);
      yield { kind: 'done' };
      return true;
    }
    case 'WAITFOR':
      yield* waitfor(rt, n, vars);
      return true;
    case 'PRINT': {
      const text = await evalScalar(rt, vars, n.slice(1), 'text');
      yield { kind: 'info', message: { number: 0, state: 1, severity: 0, message: text ?? '', line: 1 } };
      yield { kind: 'done' };
      return true;
    }
    case 'RAISERROR':
    case 'THROW':
      yield* raise(rt, n, vars, first);
      return true;
    case 'EXEC':
    case 'EXECUTE':
      yield* runProcedure(rt, n, vars);
      return true;
    case 'GRANT':
    case 'DENY':
    case 'REVOKE':
      yield* runSecurityStatement(rt, stmt);
      return true;
    case 'CREATE':
    case 'ALTER':
      if (!isSecurityStatement(stmt)) return false;
      yield* runSecurityStatement(rt, stmt);
      return true;
    case 'IF':
      yield* ifStatement(rt, stmt, vars);
      return true;
    case 'WHILE':
    case 'RETURN':
    case 'TRY':
    case 'GOTO':
    case 'BREAK':
    case 'CONTINUE':
      throw new TsqlError(40012, `Control-of-flow (${first}) is not supported by the sandbox.`);
    case 'DBCC':
    case 'BACKUP':
    case 'RESTORE':
    case 'KILL':
    case 'SHUTDOWN':
    case 'RECONFIGURE':
      throw new TsqlError(40014, `${first} is not supported by the sandbox.`);
    default:
      return false;
  }
}

async function* setStatement(rt: Runtime, n: readonly Node[], vars: Variables): AsyncGenerator<BatchEvent> {
  const s = rt.state;
  const target = n[1];
  if (target?.kind === 'variable') {
    const name = target.text.toLowerCase();
    const v = vars.get(name);
    if (!v) throw new TsqlError(137, `Must declare the scalar variable "${target.text}".`, { severity: 15, state: 2 });
    const op = n[2];
    if (!op || op.kind !== 'operator' || !/^[-+*/%&|^]?=$/.test(op.text)) throw syntaxError(nodeText(op));
    const expr = op.text === '=' ? n.slice(3) : [target, { ...op, text: op.text.slice(0, -1), value: op.text.slice(0, -1) }, ...n.slice(3)];
    v.value = await evalScalar(rt, vars, expr as Node[], v.pgCast);
    s.rowcount = 1;
    yield { kind: 'done' };
    return;
  }
  const option = word(target);
  const arg = word(n[2]) || nodeText(n[2]);
  if (option === 'NOCOUNT') s.nocount = arg === 'ON';
  else if (option === 'IMPLICIT_TRANSACTIONS') s.implicitTransactions = arg === 'ON';
  else if (option === 'LOCK_TIMEOUT') s.lockTimeout = Number(n.slice(2).map(nodeText).join('')) || 0;
  else if (option === 'TEXTSIZE') setTextSize(s, Number(n.slice(2).map(nodeText).join('')));
  else if (option === 'IDENTITY_INSERT') {
    const t = objectName(n, 2, createEmitter(contextFor(rt, vars)));
    if (word(n[t.end]) === 'OFF') await syncIdentity(rt, t.sql);
  } else if (option === '') throw syntaxError(nodeText(target));
  yield { kind: 'done' };
}

/** After explicit identity values, move the identity sequence past the largest one (SQL Server does this itself). */
export async function syncIdentity(rt: Pick<Runtime, 'pg'>, table: string): Promise<void> {
  const r = await runSimple(
    rt.pg,
    `SELECT a.attname FROM pg_attribute a WHERE a.attrelid = '${table.replaceAll("'", "''")}'::regclass AND a.attidentity <> ''`,
  );
  for (const row of r.results[0]?.rows ?? []) {
    const col = `"${String(row[0]).replaceAll('"', '""')}"`;
    await runSimple(
      rt.pg,
      `SELECT setval(pg_get_serial_sequence('${table.replaceAll("'", "''")}', '${String(row[0]).replaceAll("'", "''")}'), COALESCE((SELECT max(${col}) FROM ${table}), 0) + 1, false)`,
    );
  }
}

async function* declare(rt: Runtime, n: readonly Node[], vars: Variables): AsyncGenerator<BatchEvent> {
  for (const item of splitCommas(n.slice(1))) {
    const v = item[0];
    if (v?.kind !== 'variable') throw syntaxError(nodeText(v));
    let k = 1;
    if (word(item[k]) === 'AS') k++;
    if (word(item[k]) === 'TABLE' || word(item[k]) === 'CURSOR')
      throw new TsqlError(40015, `DECLARE … ${word(item[k])} is not supported by the sandbox.`);
    const type = mapType(item.slice(k), true);
    if (!type) throw new TsqlError(2715, `Column, parameter, or variable #1: Cannot find data type ${nodeText(item[k])}.`);
    const rest = item.slice(k + type.consumed);
    const value = isPunct(rest[0], '=') ? await evalScalar(rt, vars, rest.slice(1), type.pgCast) : null;
    vars.set(v.text.toLowerCase(), { pgCast: type.pgCast, value });
  }
  yield { kind: 'done' };
}

async function* waitfor(rt: Runtime, n: readonly Node[], vars: Variables): AsyncGenerator<BatchEvent> {
  const mode = word(n[1]);
  const text = await evalScalar(rt, vars, n.slice(2), 'text');
  const m = /^(\d+):(\d+)(?::(\d+))?(?:\.(\d+))?$/.exec((text ?? '').trim());
  if (!m || (mode !== 'DELAY' && mode !== 'TIME'))
    throw new TsqlError(148, `Incorrect time syntax in time string '${text ?? ''}' used with WAITFOR.`, { severity: 15 });
  const ms = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + Number((m[4] ?? '0').padEnd(3, '0').slice(0, 3));
  const now = new Date();
  const wait =
    mode === 'DELAY'
      ? ms
      : (ms - ((now.getUTCHours() * 60 + now.getUTCMinutes()) * 60 + now.getUTCSeconds()) * 1000 + 86_400_000) % 86_400_000;
  await new Promise<void>((resolve) => {
    if (rt.signal.aborted) return resolve();
    const timer = setTimeout(done, wait);
    function done(): void {
      clearTimeout(timer);
      rt.signal.removeEventListener('abort', done);
      resolve();
    }
    rt.signal.addEventListener('abort', done, { once: true });
  });
  if (!rt.signal.aborted) yield { kind: 'done' };
}

async function* raise(rt: Runtime, n: readonly Node[], vars: Variables, first: string): AsyncGenerator<BatchEvent> {
  const args = first === 'RAISERROR' ? (isGroup(n[1]) ? splitCommas(n[1].items) : []) : splitCommas(n.slice(1));
  if (first === 'THROW') {
    if (args.length < 3) throw new TsqlError(10704, 'To rethrow an error, a THROW statement must be used inside a CATCH block.');
    const num = Number(await evalScalar(rt, vars, args[0] as Node[], 'int'));
    const msg = (await evalScalar(rt, vars, args[1] as Node[], 'text')) ?? '';
    const state = Number(await evalScalar(rt, vars, args[2] as Node[], 'int'));
    throw new TsqlError(num, msg, { severity: 16, state });
  }
  const values: string[] = [];
  for (const a of args) values.push((await evalScalar(rt, vars, a, 'text')) ?? '');
  let k = 3;
  const msg = (values[0] ?? '').replace(/%[-+ 0#]*\d*(?:\.\d+)?[sdiuoxX]/g, () => values[k++] ?? '(null)');
  const severity = Number(values[1] ?? 16);
  const state = Number(values[2] ?? 1);
  if (severity > 10) throw new TsqlError(50000, msg, { severity, state });
  yield { kind: 'info', message: { number: 50000, state, severity, message: msg, line: 1 } };
  yield { kind: 'done' };
}

export { readChain };

/** `IF cond stmt|BEGIN…END [ELSE …]`: the condition is evaluated by PostgreSQL, the branch runs as a nested batch. */
async function* ifStatement(rt: Runtime, stmt: Statement, vars: Variables): AsyncGenerator<BatchEvent> {
  const n = stmt.nodes;
  const condEnd = conditionEnd(n, 1);
  const thenEnd = branchEnd(n, condEnd);
  let elseAt = thenEnd;
  if (isPunct(n[elseAt], ';')) elseAt++;
  const ctx = contextFor(rt, vars);
  await loadFullText(rt, ctx, n.slice(1, condEnd));
  const cond = createEmitter(ctx).nodes(n.slice(1, condEnd), 1);
  const o = runOptions(rt, ctx, { verb: 'SELECT' });
  const r = await collectQuery(await withForSubqueries(ctx, `SELECT CASE WHEN (${cond}) THEN 1 ELSE 0 END`, o), o);
  const truthy = r.rows[0]?.[0] === '1';
  const branch = truthy ? n.slice(condEnd, thenEnd) : word(n[elseAt]) === 'ELSE' ? n.slice(elseAt + 1) : [];
  if (branch.length === 0) {
    yield { kind: 'done' };
    return;
  }
  const block =
    word(branch[0]) === 'BEGIN' && word(branch[branch.length - 1]) === 'END' && !['TRAN', 'TRANSACTION'].includes(word(branch[1]));
  const body = block ? branch.slice(1, -1) : branch;
  if (body.length === 0) return;
  yield* rt.runText(stmt.source.slice(startOf(body[0] as Node), endOf(body[body.length - 1] as Node)), vars);
}
