/**
 * HTTP(S) check: method, expected status (code or range), optional body match, headers whose values
 * may come from env references (never echoed), TLS with a custom CA or an explicit insecure flag.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';
import type { HealthCheck } from '@shared/model';
import { envValueOf } from '../drivers/env-references';
import { unsetReference } from '../drivers/resolve-env';
import { expand, ProbeError, type ProbeContext, type ProbeOutcome } from './probe-context';

type HttpCheck = NonNullable<HealthCheck['http']>;

/** Body bytes kept for `body_contains`: enough for a health document, bounded for a runaway one. */
const MAX_BODY = 64 * 1024;

function statusMatches(status: number, expected: HttpCheck['expected_status']): boolean {
  if (typeof expected === 'number') return status === expected;
  const [low, high = low] = expected.split('-').map(Number);
  return status >= low! && status <= high!;
}

export function httpProbe(check: HttpCheck, context: ProbeContext): Promise<ProbeOutcome> {
  const url = new URL(expand(check.url, context));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(check.headers)) {
    const resolved = typeof value === 'string' ? value : envValueOf(context.given, value.env);
    if (resolved === undefined) throw new ProbeError(`header ${name}: environment variable ${(value as { env: string }).env} is not set`);
    headers[name] = resolved;
  }
  if (context.bearer !== undefined) {
    const token = envValueOf(context.given, context.bearer);
    if (token === undefined) throw new ProbeError(unsetReference(context.bearer, 'its remote token'));
    headers['Authorization'] = `Bearer ${token}`;
  }
  const tls = check.tls;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((finish) => {
    // One deadline for the whole exchange: a server that drips headers or body never goes idle.
    let done = false;
    const settle = (outcome: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      req.destroy();
      finish(outcome);
    };
    const deadline = setTimeout(() => settle({ ok: false, message: `no answer within ${context.timeoutMs}ms` }), context.timeoutMs);
    const req = request(
      url,
      {
        method: check.method,
        headers,
        ...(url.protocol === 'https:'
          ? {
              rejectUnauthorized: !(tls?.insecure ?? false),
              ...(tls?.ca_file ? { ca: readFileSync(resolve(context.registryDir, expand(tls.ca_file, context))) } : {}),
            }
          : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (!statusMatches(status, check.expected_status)) return settle({ ok: false, message: `HTTP ${status}, expected ${check.expected_status}` });
        const wanted = check.body_contains;
        if (wanted === undefined) return settle({ ok: true, message: `HTTP ${status}` });
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
          if (body.includes(wanted)) settle({ ok: true, message: `HTTP ${status}` });
          else if (body.length >= MAX_BODY) settle({ ok: false, message: `HTTP ${status}, body lacks ${JSON.stringify(wanted)}` });
        });
        response.on('end', () => settle({ ok: false, message: `HTTP ${status}, body lacks ${JSON.stringify(wanted)}` }));
        response.on('error', (error) => settle({ ok: false, message: error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => settle({ ok: false, message: describeNetworkError(error) }));
    req.end();
  });
}

export function describeNetworkError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'host not found';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `TLS: certificate not trusted (${error.code}); set tls.ca_file, or tls.insecure = true`;
    default:
      return error.message;
  }
}
