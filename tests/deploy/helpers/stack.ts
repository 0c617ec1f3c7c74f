import path from 'node:path';
import { hashPassword } from '../../../src/oauth/core/password.ts';
import { startTestServer } from '../../helpers/server.ts';
import type { TestServer } from '../../helpers/server.ts';
import { freePort, startNginx } from './nginx.ts';
import type { RunningNginx } from './nginx.ts';
import { makeSelfSigned, makeTestPki } from './tls.ts';

export interface DeployStack {
  /** https://localhost:<nginx port> */
  origin: string;
  /** origin + /chatgpt */
  issuer: string;
  /** The test CA (PEM) that signed nginx's certificate. */
  ca: string;
  caPath: string;
  apiKey: string;
  nginx: RunningNginx;
  server: TestServer;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Rewrite a rendered nginx file (name, text) → text: how tests break the proxy on purpose. */
  transform?: (name: string, text: string) => string;
  /** Serve a self-signed certificate instead of one from the test CA. */
  selfSigned?: boolean;
  /** Extra published prefixes, lines for snippets/environments.conf (e.g. "/claude /claude;"). */
  extraEnvironments?: string[];
}

/**
 * The deployment as compose runs it, minus Docker: the sandbox database, the real connector on
 * its reader login with OAuth on (an operator account) and an API key, and the real nginx from
 * the project's templates with a test-CA certificate for localhost, on free ports.
 */
export async function startDeployStack(dir: string, options: StackOptions = {}): Promise<DeployStack> {
  const pki = options.selfSigned ? await makeSelfSigned(path.join(dir, 'certs')) : await makeTestPki(path.join(dir, 'certs'));
  const httpsPort = await freePort();
  const origin = `https://localhost:${httpsPort}`;
  const server = await startTestServer({
    // doctor-stack stops the database to see the doctor notice; it must be this stack's own.
    freshDatabase: true,
    env: {
      PUBLIC_BASE_URL: origin,
      AUTH_USERS: `operator:${await hashPassword('operator-password-for-tests', 10)}`,
      LOG_LEVEL: 'warn',
    },
  });
  let nginx: RunningNginx;
  try {
    nginx = await startNginx({
      dir: path.join(dir, 'nginx'),
      vars: { DOMAIN: 'localhost', ENVIRONMENT_PATH: '/chatgpt', HTTPS_PORT: String(httpsPort) },
      upstream: new URL(server.url).host,
      certDir: pki.certDir,
      webroot: path.join(dir, 'acme'),
      httpsPort,
      ...(options.transform ? { transform: options.transform } : {}),
      ...(options.extraEnvironments ? { extraEnvironments: options.extraEnvironments } : {}),
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    origin,
    issuer: `${origin}/chatgpt`,
    ca: pki.ca,
    caPath: pki.caPath,
    apiKey: server.apiKey,
    nginx,
    server,
    close: async () => {
      await nginx.stop();
      await server.close();
    },
  };
}
