import type { BatchEvent, RpcParam, Session } from '../backend.ts';
import { PacketStatus } from './packet.ts';

const SKIP_TRANSACTION: RpcParam = { name: '@skip_transaction', type: { name: 'int' }, value: 1, output: false };

/**
 * The request's events (`start` is called once, after the reset), preceded by a session reset when its first packet carries the
 * RESETCONNECTION (0x08) or RESETCONNECTIONSKIPTRAN (0x10) status bit (MS-TDS 2.2.3.1.2): what
 * connection pools ask for before lending a connection again. The engine's `sp_reset_connection`
 * clears the session context, temporary tables and SET options (and, without SKIPTRAN, rolls back
 * an open transaction). A reset that fails fails the request rather than run it on a dirty session.
 */
export function afterReset(
  session: Session,
  status: number,
  signal: AbortSignal,
  start: () => AsyncIterable<BatchEvent>,
): AsyncIterable<BatchEvent> {
  const reset = (status & PacketStatus.RESET_CONNECTION) !== 0;
  const skipTransaction = !reset && (status & PacketStatus.RESET_CONNECTION_SKIP_TRAN) !== 0;
  if (!reset && !skipTransaction) return start();
  return (async function* () {
    for await (const ev of session.rpc('sp_reset_connection', skipTransaction ? [SKIP_TRANSACTION] : [], signal)) {
      if (ev.kind === 'error') throw new Error(`connection reset failed: ${ev.message.message}`);
    }
    // Started only now: a session may answer some batches at once (the worker's trivial batches).
    yield* start();
  })();
}
