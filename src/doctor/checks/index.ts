import { discoveryCheck, issuerCheck } from './discovery.ts';
import { challengeCheck, methodsCheck } from './endpoint.ts';
import { healthCheck } from './health.ts';
import { clockCheck, dnsCheck, tlsCheck } from './network.ts';
import { registrationCheck } from './registration.ts';
import { streamingCheck } from './streaming.ts';
import { toolsCheck } from './tools.ts';
import type { Check } from '../types.ts';

/** Every check, in the order a client meets the problems: network, TLS, endpoint, database, OAuth discovery, registration, streaming, tools. */
export const defaultChecks: readonly Check[] = [
  dnsCheck,
  tlsCheck,
  clockCheck,
  methodsCheck,
  healthCheck,
  challengeCheck,
  discoveryCheck,
  issuerCheck,
  registrationCheck,
  streamingCheck,
  toolsCheck,
];
