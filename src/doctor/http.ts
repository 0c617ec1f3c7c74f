import http from 'node:http';
import { isIP } from 'node:net';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';

/** How the doctor reaches a deployment: whose certificates it trusts and how long it waits. */
export interface HttpOptions {
  /** Extra trusted CA certificates (PEM), e.g. a test or company CA. */
  ca?: string | undefined;
  /** Accept any certificate (self-signed, expired, wrong name). ChatGPT never does. */
  insecure?: boolean | undefined;
  timeoutMs?: number | undefined;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The server's leaf certificate, for https URLs. */
  certificate?: PeerCertificate | undefined;
}

/** A response whose body is still arriving: each chunk is reported with its arrival time. */
export interface HttpStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Resolves with the text received so far once `predicate` holds for it, or rejects on end/timeout. */
  waitFor(predicate: (text: string) => boolean, timeoutMs: number): Promise<string>;
  /** Whether the server has ended the response. */
  ended(): boolean;
  close(): void;
}

/** An error that carries the failing request's network code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED…). */
export class HttpError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpError';
    this.code = code;
  }
}

function requestOptions(url: URL, req: HttpRequest, options: HttpOptions): https.RequestOptions {
  const headers: Record<string, string> = { 'user-agent': 'mssql-deep-research-doctor/1', ...req.headers };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return {
    method: req.method ?? 'GET',
    headers,
    agent: false,
    ...(url.protocol === 'https:'
      ? {
          ca: options.ca,
          rejectUnauthorized: options.insecure !== true,
          ...(isIP(url.hostname.replace(/^\[|\]$/g, '')) ? {} : { servername: url.hostname }),
        }
      : {}),
  };
}

function toHttpError(error: unknown): HttpError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError(typeof code === 'string' ? code : 'ERR_REQUEST', message, { cause: error });
}

function open(
  url: URL,
  req: HttpRequest,
  options: HttpOptions,
  onResponse: (res: http.IncomingMessage, cert: PeerCertificate | undefined) => void,
  onError: (e: HttpError) => void,
): http.ClientRequest {
  const client = url.protocol === 'https:' ? https : http;
  const request = client.request(url, requestOptions(url, req, options), (res) => {
    const socket = res.socket as TLSSocket;
    const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    onResponse(res, cert);
  });
  request.setTimeout(options.timeoutMs ?? 10_000, () =>
    request.destroy(new HttpError('ETIMEDOUT', `no answer within ${options.timeoutMs ?? 10_000} ms`)),
  );
  request.on('error', (error) => onError(error instanceof HttpError ? error : toHttpError(error)));
  request.end(req.body);
  return request;
}

/**
 * One HTTP(S) request with the whole body read. Uses node:https directly (not fetch) so a test or
 * company CA can be trusted per request, and the certificate the server presented is reported.
 * Rejects with an HttpError whose `code` is the network/TLS error code.
 */
export function httpRequest(target: string | URL, req: HttpRequest = {}, options: HttpOptions = {}): Promise<HttpResponse> {
  const url = new URL(target);
  return new Promise((resolve, reject) => {
    open(
      url,
      req,
      options,
      (res, certificate) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), certificate }),
        );
        res.on('error', (error) => reject(toHttpError(error)));
      },
      reject,
    );
  });
}

/** Opens a streaming response (SSE or a streamed MCP POST) and lets the caller wait for text in it. */
export function httpStream(target: string | URL, req: HttpRequest = {}, options: HttpOptions = {}): Promise<HttpStream> {
  const url = new URL(target);
  return new Promise((resolve, reject) => {
    const request = open(
      url,
      req,
      { ...options, timeoutMs: options.timeoutMs ?? 10_000 },
      (res) => {
        request.setTimeout(0);
        let text = '';
        let done = false;
        const waiters = new Set<() => void>();
        const wake = () => {
          for (const w of waiters) w();
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          wake();
        });
        res.on('end', () => {
          done = true;
          wake();
        });
        res.on('error', () => {
          done = true;
          wake();
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          ended: () => done,
          close: () => request.destroy(),
          waitFor: (predicate, timeoutMs) =>
            new Promise((ok, fail) => {
              const check = () => {
                if (predicate(text)) finish(() => ok(text));
                else if (done) finish(() => fail(new HttpError('ERR_STREAM_ENDED', 'the stream ended first')));
              };
              const timer = setTimeout(
                () => finish(() => fail(new HttpError('ETIMEDOUT', `nothing matching within ${timeoutMs} ms`))),
                timeoutMs,
              );
              const finish = (then: () => void) => {
                clearTimeout(timer);
                waiters.delete(check);
                then();
              };
              waiters.add(check);
              check();
            }),
        });
      },
      reject,
    );
  });
}
