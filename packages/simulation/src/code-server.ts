import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { md5Hex } from './content.js';
import type { CodePackage } from './model.js';

/** How long a code URL stays valid, like Lambda's presigned URLs. */
const EXPIRES_SECONDS = 600;

/** Options of {@link CodeServer.start}. */
export interface CodeServerOptions {
  readonly accountId: string;
  readonly region: string;
  /** Clock for signing and expiry. */
  readonly now: () => Date;
}

/**
 * A tiny HTTP server on 127.0.0.1 that serves Lambda deployment packages at URLs shaped like the presigned S3 URLs
 * `GetFunction` returns. Answers 403 for a wrong signature or an expired URL and 404 for unknown paths.
 */
export class CodeServer {
  readonly #server: Server;
  readonly #options: CodeServerOptions;
  readonly #secret = randomBytes(32);
  readonly #securityToken = `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`;
  readonly #accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  readonly #packages = new Map<string, ServedPackage>();
  /** Downloads still to fail, by function name. */
  readonly #failures = new Map<string, number>();
  readonly #port: number;

  private constructor(server: Server, options: CodeServerOptions) {
    this.#server = server;
    this.#options = options;
    this.#port = (server.address() as AddressInfo).port;
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      this.#serve(request, response),
    );
  }

  /** Starts a server on a random port of 127.0.0.1. */
  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    return new CodeServer(server, options);
  }

  /** A fresh presigned-looking URL for a function's package; the package stays downloadable at it for 10 minutes. */
  presign(functionName: string, code: CodePackage): string {
    const path = `/snapshots/${this.#options.accountId}/${functionName}-${code.id}`;
    this.#packages.set(path, { functionName, code });
    const date = amzDate(this.#options.now());
    const query = new URLSearchParams({
      versionId: code.versionId,
      'X-Amz-Security-Token': this.#securityToken,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Date': date,
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Expires': String(EXPIRES_SECONDS),
      'X-Amz-Credential': `${this.#accessKeyId}/${date.slice(0, 8)}/${this.#options.region}/s3/aws4_request`,
    });
    query.set('X-Amz-Signature', this.#sign(path, query));
    return `http://127.0.0.1:${this.#port}${path}?${query.toString()}`;
  }

  /**
   * The next `times` downloads of a function's code (of any of its versions) fail with S3's `InternalError`
   * (HTTP 500), as a presigned URL now and then does.
   */
  failDownloads(functionName: string, times: number): void {
    if (!Number.isInteger(times) || times < 0) {
      throw new RangeError(`failed downloads must be a non-negative integer, received ${times}`);
    }
    this.#failures.set(functionName, times);
  }

  /** Stops accepting connections and closes open ones. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  #sign(path: string, query: URLSearchParams): string {
    const signed = ['versionId', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Credential', 'X-Amz-Security-Token']
      .map((name) => `${name}=${query.get(name) ?? ''}`)
      .join('&');
    return createHmac('sha256', this.#secret).update(`GET\n${path}\n${signed}`).digest('hex');
  }

  #serve(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const served = this.#packages.get(url.pathname);
    const refusal =
      this.#refusal(request, url, served?.code) ?? (served && this.#failure(served.functionName));
    if (refusal || !served) {
      s3Error(response, refusal ?? NOT_FOUND);
      return;
    }
    const { code } = served;
    response.writeHead(200, {
      'Content-Type': 'application/zip',
      'Content-Length': String(code.size),
      ETag: `"${md5Hex(code.zip)}"`,
      'x-amz-version-id': code.versionId,
      'Accept-Ranges': 'bytes',
    });
    response.end(request.method === 'HEAD' ? undefined : code.zip);
  }

  /** The failure a download of the function's code answers with, using one up, if any are still to come. */
  #failure(functionName: string): S3Refusal | undefined {
    const remaining = this.#failures.get(functionName) ?? 0;
    if (remaining === 0) return undefined;
    this.#failures.set(functionName, remaining - 1);
    return INTERNAL_ERROR;
  }

  /** Why a request is refused, as S3 would answer it, or `undefined` when the package is served. */
  #refusal(request: IncomingMessage, url: URL, code: CodePackage | undefined): S3Refusal | undefined {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return {
        status: 405,
        code: 'MethodNotAllowed',
        message: 'The specified method is not allowed against this resource.',
      };
    }
    if (!code) return NOT_FOUND;
    const given = Buffer.from(url.searchParams.get('X-Amz-Signature') ?? '', 'utf8');
    const expected = Buffer.from(this.#sign(url.pathname, url.searchParams), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      };
    }
    if (expired(url.searchParams, this.#options.now())) {
      return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
    }
    return undefined;
  }
}

/** A package served at a presigned path, and the function it belongs to. */
interface ServedPackage {
  readonly functionName: string;
  readonly code: CodePackage;
}

interface S3Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const NOT_FOUND: S3Refusal = { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' };
const INTERNAL_ERROR: S3Refusal = {
  status: 500,
  code: 'InternalError',
  message: 'We encountered an internal error. Please try again.',
};

function s3Error(response: ServerResponse, { status, code, message }: S3Refusal): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;
  response.writeHead(status, {
    'Content-Type': 'application/xml',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  response.end(body);
}

/** `YYYYMMDDTHHMMSSZ` */
function amzDate(date: Date): string {
  return `${date.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

function expired(query: URLSearchParams, now: Date): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  if (!match) return true;
  const [, y, mo, d, h, mi, s] = match;
  const signedAt = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return now.getTime() > signedAt + Number(query.get('X-Amz-Expires') ?? 0) * 1000;
}
