import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.ts';

/** The PEM trust anchors of STATE_STORE_CA_FILE for `connectRedis` (none without the variable). */
export function readStateStoreCa(file: string | undefined): { ca?: string } {
  if (file === undefined) return {};
  try {
    return { ca: readFileSync(file, 'utf8') };
  } catch (error) {
    throw new ConfigError('STATE_STORE_CA_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, {
      cause: error,
    });
  }
}
