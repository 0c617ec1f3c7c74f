/**
 * `npm run hash-password -- <username>`: prints one AUTH_USERS entry, `username:scrypt$…`.
 * The password comes from stdin when it is piped (`printf %s "$PW" | npm run hash-password -- ann`),
 * otherwise it is asked for twice on the terminal without echo. It is never an argument, so it
 * does not end up in shell history or the process list.
 */
import { createInterface } from 'node:readline/promises';
import { hashPassword } from '../core/password.ts';

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(): Promise<void> {
  let user = process.argv[2];
  if (!user && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    user = (await rl.question('Username: ')).trim();
    rl.close();
  }
  if (!user || !/^[\w.@-]{1,64}$/.test(user)) {
    throw new Error('usage: npm run hash-password -- <username>  (letters, digits, _ . @ -)');
  }
  let password: string;
  if (process.stdin.isTTY) {
    password = await askHidden('Password: ');
    if ((await askHidden('Repeat password: ')) !== password) throw new Error('the passwords differ');
  } else {
    password = await readPiped();
  }
  if (password.length < 12) throw new Error('use a password of at least 12 characters');
  process.stdout.write(`${user}:${await hashPassword(password)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`hash-password: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
