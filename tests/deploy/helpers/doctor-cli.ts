import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../src/doctor/main.ts', import.meta.url));

/** Runs `npm run doctor -- <args>` the way a user does (the real CLI, its own process) and collects its output and exit code. */
export function runDoctorCli(args: string[]): Promise<{ code: number | null; output: string; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.once('exit', (code) => resolve({ code, output, lines: output.split('\n') }));
  });
}
