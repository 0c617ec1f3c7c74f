import { readdirSync, readFileSync } from 'node:fs';

/**
 * Samples, every 250 ms, the resident memory of a process and all its descendants (Linux /proc;
 * elsewhere it reports nothing) and keeps the largest total: `npm test`'s peak memory.
 */
export function sampleTreeMemory(root: number): { stop(): number | undefined } {
  let peak: number | undefined;
  const sample = (): void => {
    const total = treeRss(root);
    if (total !== undefined) peak = Math.max(peak ?? 0, total);
  };
  sample();
  const timer = setInterval(sample, 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

function treeRss(root: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of entries) {
    try {
      // Fields after the parenthesised command: state ppid … (24th field overall is rss in pages).
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
      rss.set(Number(name), Number(fields[21]) * 4096);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  for (const [pid, bytes] of rss) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += bytes;
        break;
      }
    }
  }
  return total;
}
