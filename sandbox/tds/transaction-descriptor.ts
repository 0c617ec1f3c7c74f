import type { SqlMessage } from '../backend.ts';
import { readAllHeaders } from './all-headers.ts';
import { ByteReader } from './byte-reader.ts';
import { PacketStatus, type TdsMessage } from './packet.ts';
import type { ResponseState } from './response-writer.ts';
import { hasAllHeaders } from './version-types.ts';

/** What SQL Server answers a request whose descriptor is not the connection's current transaction. */
export const INVALID_DESCRIPTOR: SqlMessage = {
  number: 3989,
  state: 1,
  severity: 16,
  message: 'New request is not allowed to start because it should come with valid transaction descriptor.',
  line: 1,
};

/**
 * Checks the transaction descriptor a request carries in ALL_HEADERS (MS-TDS 2.2.5.3.2) against
 * the one the connection last announced in ENVCHANGE (begin 8; commit 9 and rollback 10 reset it
 * to 0), as SQL Server does: a request naming a transaction that has ended, or no transaction
 * while one is open, is refused with error 3989 and not run. Requests without ALL_HEADERS (TDS
 * 7.1) carry no descriptor and are not checked, nor are RESETCONNECTION requests, whose reset
 * rolls the transaction back before they run (see `transactionEndedByReset`).
 * Returns the error to answer, or undefined when the request may run.
 */
export function checkTransactionDescriptor(message: TdsMessage, state: ResponseState): SqlMessage | undefined {
  if (!hasAllHeaders(state.tdsVersion) || message.status & PacketStatus.RESET_CONNECTION) return undefined;
  const { transactionDescriptor } = readAllHeaders(new ByteReader(message.payload));
  return transactionDescriptor === state.transaction ? undefined : INVALID_DESCRIPTOR;
}

/**
 * The descriptor of the transaction a RESETCONNECTION request's reset rolls back, if any: the
 * response then starts with its ENVCHANGE rollback, so the client stops sending it (tedious keeps
 * a descriptor until an ENVCHANGE ends it).
 */
export function transactionEndedByReset(message: TdsMessage, state: ResponseState): bigint | undefined {
  return message.status & PacketStatus.RESET_CONNECTION && state.transaction !== 0n ? state.transaction : undefined;
}
