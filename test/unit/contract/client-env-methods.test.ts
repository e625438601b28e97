/**
 * A browser's requests carry the env values of the process that serves it, never the page's own
 * (withClientEnv), and the desktop renderer's carry none (withoutClientEnv) — for every method whose
 * params take `env`, so a method added to the contract cannot be left out.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withClientEnv, withoutClientEnv } from '@shared/contract/client-env';
import { methods, type MethodName } from '@shared/contract/methods';

const takesEnv = (Object.keys(methods) as MethodName[]).filter((name) => {
  const params = methods[name].params;
  return params instanceof z.ZodObject && 'env' in params.shape;
});

describe('client env of relayed requests', () => {
  it('is found in the contract', () => {
    expect(takesEnv).toEqual(expect.arrayContaining(['start', 'platformStart', 'ensure', 'runStart']));
  });

  it.each(takesEnv)('%s: the page cannot choose the values', (method) => {
    const fromPage = { id: 1, method, params: { env: { SECRET: 'chosen-by-page' } } };
    expect(withClientEnv(fromPage, { SECRET: 'the host process' }).params.env).toEqual({ SECRET: 'the host process' });
    expect(withoutClientEnv(fromPage)).toEqual({ id: 1, method, params: {} });
  });
});
