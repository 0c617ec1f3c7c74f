import type { BatchEvent, RpcParam, SqlType, SqlValue } from '../backend.ts';
import { syntaxError, TsqlError } from './errors.ts';
import { runSimple } from './pg.ts';
import { resetSession, setSessionContext } from './session-context.ts';
import type { Runtime } from './runtime.ts';
import type { Variables } from './session-state.ts';
import { evalScalar } from './statements.ts';
import { quoteLiteral } from './translate/context.ts';
import { readChain } from './translate/emit.ts';
import { isGroup, isPunct, nodeText, parseTree, splitCommas, type Node } from './translate/tree.ts';
import { mapType } from './translate/types.ts';

/** A procedure argument: positional (name '') or named (`@name`), as PostgreSQL text. */
interface Arg {
  name: string;
  value: string | null;
}

const PROPERTY_PARAMS = ['@name', '@value', '@level0type', '@level0name', '@level1type', '@level1name', '@level2type', '@level2name'];

/** `EXEC name args` or `EXEC ('text')` inside a batch. */
export async function* runProcedure(rt: Runtime, n: readonly Node[], vars: Variables): AsyncGenerator<BatchEvent> {
  let k = 1;
  if (n[k]?.kind === 'variable' && isPunct(n[k + 1], '=')) k += 2;
  const head = n[k];
  if (isGroup(head)) {
    const text = await evalScalar(rt, vars, head.items, 'text');
    yield* rt.runText(text ?? '', new Map());
    return;
  }
  if (!head || (head.kind !== 'word' && head.kind !== 'bracket_identifier')) throw syntaxError(nodeText(head));
  const chain = readChain(n, k);
  const name = (chain.parts[chain.parts.length - 1]?.value ?? '').toLowerCase();
  const args: Arg[] = [];
  for (const part of chain.end < n.length ? splitCommas(n.slice(chain.end)) : []) {
    const named = part[0]?.kind === 'variable' && isPunct(part[1], '=');
    const expr = named ? part.slice(2) : part;
    const out = expr.length > 0 && ['OUTPUT', 'OUT'].includes(nodeText(expr[expr.length - 1]).toUpperCase());
    const value = await evalScalar(rt, vars, out ? expr.slice(0, -1) : expr, 'text');
    args.push({ name: named ? nodeText(part[0]).toLowerCase() : '', value });
  }
  yield* callProcedure(rt, name, args, undefined, false);
}

/** An RPC request: sp_executesql with typed parameters, or a supported system procedure. */
export async function* runRpc(rt: Runtime, procedure: string, params: RpcParam[]): AsyncGenerator<BatchEvent> {
  const name = procedure
    .toLowerCase()
    .replace(/^(\[?sys\]?\.)/, '')
    .replace(/[[\]]/g, '');
  const args = params.map((p) => ({ name: p.name.toLowerCase(), value: valueText(p.value) }));
  if (name === 'sp_executesql') yield* callProcedure(rt, name, args, params, true);
  else yield* rt.withEngine(() => callProcedure(rt, name, args, params, false));
}

async function* callProcedure(
  rt: Runtime,
  name: string,
  args: Arg[],
  typed: RpcParam[] | undefined,
  topLevel: boolean,
): AsyncGenerator<BatchEvent> {
  switch (name) {
    case 'sp_executesql': {
      const stmt = args[0]?.value ?? '';
      const vars: Variables = new Map();
      const decls = args[1]?.value ?? '';
      if (decls.trim() !== '') {
        for (const item of splitCommas(parseTree(decls))) {
          const v = item[0];
          if (v?.kind !== 'variable') throw syntaxError(nodeText(v));
          const type = mapType(item.slice(1), true);
          if (!type) throw new TsqlError(2715, `Column, parameter, or variable #1: Cannot find data type ${nodeText(item[1])}.`);
          vars.set(v.text.toLowerCase(), { pgCast: type.pgCast, value: null });
        }
      }
      args.slice(2).forEach((a, i) => {
        const key = a.name || [...vars.keys()][i];
        if (!key) return;
        const known = vars.get(key);
        const param = typed?.find((p) => p.name.toLowerCase() === key);
        vars.set(key, { pgCast: known?.pgCast ?? pgCastFor(param?.type), value: a.value });
      });
      yield* topLevel ? rt.runTopLevel(stmt, vars) : rt.runText(stmt, vars);
      yield { kind: 'return_status', value: 0 };
      return;
    }
    case 'sp_addextendedproperty':
    case 'sp_updateextendedproperty':
    case 'sp_dropextendedproperty': {
      if (rt.state.login.role !== 'owner') throw new TsqlError(15247, 'User does not have permission to perform this action.');
      const byName = new Map<string, string | null>();
      args.forEach((a, i) => byName.set(a.name || PROPERTY_PARAMS[name === 'sp_dropextendedproperty' && i > 0 ? i + 1 : i] || '', a.value));
      const lower = (k: string): string => {
        const v = byName.get(k);
        return v === undefined || v === null ? 'NULL' : quoteLiteral(v.toLowerCase());
      };
      const prop = quoteLiteral(byName.get('@name') ?? 'MS_Description');
      const where = `name = ${prop} AND level0name IS NOT DISTINCT FROM ${lower('@level0name')} AND level1name IS NOT DISTINCT FROM ${lower('@level1name')} AND level2name IS NOT DISTINCT FROM ${lower('@level2name')}`;
      const value = byName.get('@value');
      const insert = `INSERT INTO tsql_meta.extended_properties (name, value, level0type, level0name, level1type, level1name, level2type, level2name) VALUES (${prop}, ${value === undefined || value === null ? 'NULL' : quoteLiteral(value)}, ${['@level0type', '@level0name', '@level1type', '@level1name', '@level2type', '@level2name'].map(lower).join(', ')})`;
      const sql =
        name === 'sp_dropextendedproperty'
          ? `DELETE FROM tsql_meta.extended_properties WHERE ${where}`
          : `DELETE FROM tsql_meta.extended_properties WHERE ${where}; ${insert}`;
      const r = await runSimple(rt.pg, rt.state.trancount > 0 ? sql : `BEGIN; ${sql}; COMMIT`);
      if (r.error) {
        if (rt.state.trancount === 0) await runSimple(rt.pg, 'ROLLBACK');
        throw new TsqlError(15135, `Object is invalid. Extended properties are not permitted on the object (${r.error.message}).`);
      }
      yield { kind: 'return_status', value: 0 };
      yield { kind: 'done' };
      return;
    }
    case 'sp_set_session_context':
      yield* setSessionContext(rt, args);
      return;
    case 'sp_reset_connection':
      await resetSession(
        rt,
        args.some((a) => a.name === '@skip_transaction' && a.value === '1'),
      );
      yield { kind: 'return_status', value: 0 };
      yield { kind: 'done' };
      return;
    default:
      throw new TsqlError(2812, `Could not find stored procedure '${name}'.`, { severity: 16, state: 62 });
  }
}

/** Text a PostgreSQL cast can read for a decoded RPC value. */
function valueText(v: SqlValue): string | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
  return String(v);
}

/** The PostgreSQL cast type for an RPC parameter's declared SQL Server type. */
function pgCastFor(type: SqlType | undefined): string {
  if (!type) return 'text';
  const spec = type.length === undefined ? type.name : `${type.name}(${type.length})`;
  const withPrec = type.precision !== undefined ? `${type.name}(${type.precision},${type.scale ?? 0})` : spec;
  return mapType(parseTree(withPrec), true)?.pgCast ?? 'text';
}

export { readChain };
