import type { BatchEvent, RpcParam, Session, SqlMessage } from '../backend.ts';

interface Prepared {
  statement: string;
  declarations: string | null;
}

const HANDLE_TYPE = { name: 'int' } as const;

const notFound = (handle: unknown): SqlMessage => ({
  number: 8179,
  state: 4,
  severity: 16,
  message: `Could not find prepared statement with handle ${String(handle)}.`,
  line: 1,
});

/**
 * sp_prepare / sp_execute / sp_prepexec / sp_unprepare for one connection, on top of the
 * engine's sp_executesql: a handle names a statement and its parameter declarations, and
 * executing it runs sp_executesql with them. SQL Server keeps prepared handles per connection
 * too; the plan caching they exist for has no equivalent here. Parameters arrive positionally
 * (tedious names the handle of sp_execute ''), so they are read by position.
 */
export class PreparedStatements {
  readonly #statements = new Map<number, Prepared>();
  #next = 1;

  /** Whether this RPC is one of the procedures handled here rather than by the engine. */
  handles(procedure: string): boolean {
    return ['sp_prepare', 'sp_execute', 'sp_prepexec', 'sp_unprepare'].includes(procedure.toLowerCase());
  }

  async *run(session: Session, procedure: string, params: RpcParam[], signal: AbortSignal): AsyncIterable<BatchEvent> {
    const name = procedure.toLowerCase();
    if (name === 'sp_prepare' || name === 'sp_prepexec') {
      const [handle, declarations, statement, ...values] = params;
      const id = this.#next++;
      this.#statements.set(id, {
        statement: String(statement?.value ?? ''),
        declarations: declarations?.value == null ? null : String(declarations.value),
      });
      if (name === 'sp_prepexec') yield* this.#execute(session, id, values, signal);
      else yield { kind: 'return_status', value: 0 };
      yield { kind: 'return_value', name: handle?.name || '@handle', type: HANDLE_TYPE, value: id, ordinal: 0 };
      return;
    }
    const [handle, ...values] = params;
    const id = Number(handle?.value);
    if (name === 'sp_unprepare') {
      if (!this.#statements.delete(id)) yield* failure(notFound(handle?.value));
      else yield { kind: 'return_status', value: 0 };
      return;
    }
    yield* this.#execute(session, id, values, signal);
  }

  async *#execute(session: Session, id: number, values: RpcParam[], signal: AbortSignal): AsyncIterable<BatchEvent> {
    const prepared = this.#statements.get(id);
    if (!prepared) {
      yield* failure(notFound(id));
      return;
    }
    const head: RpcParam[] = [{ name: '@statement', type: { name: 'nvarchar', length: 'max' }, value: prepared.statement, output: false }];
    if (prepared.declarations !== null) {
      head.push({ name: '@params', type: { name: 'nvarchar', length: 'max' }, value: prepared.declarations, output: false });
    }
    yield* session.rpc('sp_executesql', [...head, ...values], signal);
  }
}

async function* failure(message: SqlMessage): AsyncIterable<BatchEvent> {
  yield { kind: 'error', message };
  yield { kind: 'done', error: true };
}
