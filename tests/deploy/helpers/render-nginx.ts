import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's nginx/ directory: the templates and snippets the compose stack mounts. */
export const NGINX_SOURCE_DIR = fileURLToPath(new URL('../../../nginx/', import.meta.url));

/**
 * What the nginx image's envsubst does to a template: replaces `${NAME}` and `$NAME` for the
 * names given (the image passes every defined environment variable) and leaves every other `$`
 * alone, so nginx's own lowercase variables survive.
 */
export function envsubst(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      return Object.hasOwn(vars, name) ? (vars[name] ?? '') : match;
    },
  );
}

export interface RenderOptions {
  /** Scratch directory nginx runs in (its prefix): config, logs, pid, temp files. */
  dir: string;
  vars: { DOMAIN: string; ENVIRONMENT_PATH: string; HTTPS_PORT: string };
  httpPort: number;
  httpsPort: number;
  /** host:port of the connector (or a stand-in). */
  upstream: string;
  /** Directory holding fullchain.pem and privkey.pem. */
  certDir: string;
  /** ACME http-01 webroot. */
  webroot: string;
  /** Extra lines for snippets/environments.conf (e.g. "/claude /claude;"). */
  extraEnvironments?: string[];
  /** Rewrites a rendered file (snippet or conf.d name, text) → text; tests break the proxy on purpose with it. */
  transform?: (name: string, text: string) => string;
}

export interface RenderedNginx {
  confPath: string;
  errorLog: string;
  accessLog: string;
}

/**
 * Renders the project's own templates and snippets for a test: envsubst with the given variables,
 * then only the container-specific bits are moved (listen ports onto 127.0.0.1, the upstream
 * address, the certificate/webroot/snippet/log paths) and a main nginx.conf wraps them the way
 * the nginx image's nginx.conf does (conf.d included inside http {}).
 */
export async function renderNginx(options: RenderOptions): Promise<RenderedNginx> {
  const { dir } = options;
  const snippets = path.join(dir, 'snippets');
  const confd = path.join(dir, 'conf.d');
  const temp = path.join(dir, 'temp');
  for (const d of [snippets, confd, temp, options.webroot]) await mkdir(d, { recursive: true });
  const accessLog = path.join(dir, 'access.log');
  const errorLog = path.join(dir, 'error.log');

  const relocate = (text: string): string =>
    text
      .replaceAll('/etc/nginx/snippets/', `${snippets}/`)
      .replaceAll('/etc/letsencrypt/active/', `${options.certDir}/`)
      .replaceAll('/var/www/acme', options.webroot)
      .replaceAll('/var/log/nginx/access.log', accessLog);

  for (const name of await readdir(path.join(NGINX_SOURCE_DIR, 'snippets'))) {
    let text = relocate(await readFile(path.join(NGINX_SOURCE_DIR, 'snippets', name), 'utf8'));
    if (name === 'environments.conf' && options.extraEnvironments) text += `\n${options.extraEnvironments.join('\n')}\n`;
    await writeFile(path.join(snippets, name), options.transform ? options.transform(name, text) : text);
  }
  for (const name of await readdir(path.join(NGINX_SOURCE_DIR, 'templates'))) {
    if (!name.endsWith('.template')) continue;
    const template = await readFile(path.join(NGINX_SOURCE_DIR, 'templates', name), 'utf8');
    const rendered = relocate(envsubst(template, options.vars))
      .replace(/listen 80 default_server;/g, `listen 127.0.0.1:${options.httpPort} default_server;`)
      .replace(/listen 443 ssl http2 default_server;/g, `listen 127.0.0.1:${options.httpsPort} ssl http2 default_server;`)
      .replace(/server connector:8008;/g, `server ${options.upstream};`);
    const target = name.slice(0, -'.template'.length);
    await writeFile(path.join(confd, target), options.transform ? options.transform(target, rendered) : rendered);
  }

  const confPath = path.join(dir, 'nginx.conf');
  await writeFile(
    confPath,
    [
      `pid ${dir}/nginx.pid;`,
      `error_log ${errorLog} info;`,
      'worker_processes 1;',
      'events { worker_connections 512; }',
      'http {',
      `  client_body_temp_path ${temp}/body;`,
      `  proxy_temp_path ${temp}/proxy;`,
      `  fastcgi_temp_path ${temp}/fastcgi;`,
      `  uwsgi_temp_path ${temp}/uwsgi;`,
      `  scgi_temp_path ${temp}/scgi;`,
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      `  include ${confd}/*.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  // Workers run as "nobody" when the tests run as root: they must reach the webroot and temp dirs.
  for (const d of [dir, snippets, confd, temp, options.webroot, path.dirname(options.webroot)]) await chmod(d, 0o755).catch(() => {});
  await chmod(temp, 0o777);
  return { confPath, errorLog, accessLog };
}
