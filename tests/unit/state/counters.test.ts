import { createMemoryStore } from '../../../src/oauth/core/store-memory.ts';
import { embeddedCounters } from '../../../src/state/counters.ts';
import { countersContract } from './counters-contract.ts';

countersContract('embedded (the OAuth store in memory)', () => embeddedCounters(createMemoryStore()));
