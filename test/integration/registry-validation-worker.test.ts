/**
 * `validateRegistry` runs off the owner's event loop (issue 15, item 9): while a large hostile text
 * is validated, another connection's requests are answered; the text is bounded in size and time.
 * The owner is the real daemon of the CLI bundle, so its bundled worker (out/cli/registry-worker.js)
 * is the one exercised; the time limit is checked on the validator from sources.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_REPORTED_ISSUES, MAX_VALIDATED_TEXT_BYTES } from '@shared/model';
import { RegistryValidator } from '../../src-main/core/registry/registry-validator';
import { daemonSocketPath } from '../../src-main/daemon/daemon-paths';
import { OwnerClient } from '../../src-main/daemon/owner-client';
import { privateHome } from '../support/cli-process';
import { hostileRegistries } from '../support/hostile-registries';
import { binaryService } from '../support/registry-text';

const h = privateHome(binaryService('idle'));
afterAll(() => h.cleanup());

/** Two errors per service, as many services as fit in the 1 MiB a client may send. */
function hostileText(): string {
  const make = hostileRegistries['two errors per service']!.make;
  let count = 1_000;
  while (Buffer.byteLength(make(count * 2)) <= MAX_VALIDATED_TEXT_BYTES) count *= 2;
  while (Buffer.byteLength(make(count + 500)) <= MAX_VALIDATED_TEXT_BYTES) count += 500;
  return make(count);
}

describe('validateRegistry off the supervision loop', () => {
  it('answers other connections while a 1 MiB hostile text is validated', async () => {
    expect((await h.run(['services', 'status'])).code).toBe(0); // starts the daemon
    const validating = await OwnerClient.connect(daemonSocketPath(h.home));
    const other = await OwnerClient.connect(daemonSocketPath(h.home));
    try {
      const order: string[] = [];
      const validated = validating.call('validateRegistry', { text: hostileText() }).then((issues) => (order.push('validated'), issues));
      let done = false;
      void validated.finally(() => (done = true));
      // Each status is asked only once the previous one was answered: a blocked loop answers none of them.
      for (let i = 0; i < 200 && !done; i++) order.push((await other.call('status')).length === 1 ? 'status' : 'bad status');
      const issues = await validated;
      expect(order.slice(0, 5)).toEqual(['status', 'status', 'status', 'status', 'status']);
      expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
      expect(issues.at(-1)!.message).toMatch(/^and \d+ more errors not listed/);
    } finally {
      validating.close();
      other.close();
    }
  });

  it('refuses a text over 1 MiB before reading it', async () => {
    const client = await OwnerClient.connect(daemonSocketPath(h.home));
    try {
      // 600,000 characters of three bytes each: within the characters the contract takes, over the bytes.
      await expect(client.call('validateRegistry', { text: '€'.repeat(600_000) })).rejects.toThrow(
        `the text is 1800000 bytes; at most ${MAX_VALIDATED_TEXT_BYTES} bytes (1 MiB) are validated`,
      );
    } finally {
      client.close();
    }
  });

  it('terminates a validation that exceeds its time limit and says so', async () => {
    const strict = new RegistryValidator({ timeLimitMs: 1 });
    try {
      // Starting a worker alone takes longer than 1 ms.
      await expect(strict.validate(hostileText(), { path: '/nonexistent/s.toml', source: 'flag' }, '/')).rejects.toThrow(
        'validation took longer than 0.001 s and was stopped; the text was not validated',
      );
    } finally {
      strict.close();
    }
  });
});
