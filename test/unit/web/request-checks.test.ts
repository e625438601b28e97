/** The web host's parsing of what a browser sends: refusals with a status, never a throw. */
import { describe, expect, it } from 'vitest';
import { hostNames, sameSecret, targetPath, upgradeRefusal } from '../../../src-main/web/request-checks';
import { fragmentToken, offeredToken, webSocketProtocols } from '../../../src-shared/contract/web-session';

const TOKEN = 'a'.repeat(32);
const hosts = hostNames(4000);
const upgrade = (headers: Record<string, string | undefined>, target = '/api') =>
  upgradeRefusal(
    target,
    { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000', 'sec-websocket-protocol': webSocketProtocols(TOKEN).join(', '), ...headers },
    hosts,
    TOKEN,
  )?.status;

describe('request checks', () => {
  it('compares secrets by bytes: a multibyte string of the same length is false, not a throw', () => {
    expect(sameSecret('é'.repeat(32), TOKEN)).toBe(false);
    expect(sameSecret(undefined, TOKEN)).toBe(false);
    expect(sameSecret('', TOKEN)).toBe(false);
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
  });

  it('takes only origin-form targets with valid escapes and no NUL', () => {
    expect(targetPath('/a%20b?x=%zz')).toBe('/a b');
    for (const bad of ['http://[::1', '*', '', undefined, '/%E0%A4%A', '/%00', 'x/']) expect(targetPath(bad)).toBeUndefined();
  });

  it('refuses an upgrade by its first fault, each with its status', () => {
    expect(upgrade({})).toBeUndefined();
    expect(upgrade({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' })).toBeUndefined();
    // Not localhost: a browser tries ::1 for it, where another user may listen on the same port.
    expect(upgrade({ host: 'localhost:4000', origin: 'http://localhost:4000' })).toBe(421);
    expect(upgrade({ host: 'LOCALHOST:4000', origin: 'http://localhost:4000' })).toBe(421);
    expect(upgrade({ host: '[::1]:4000', origin: 'http://[::1]:4000' })).toBe(421);
    expect(upgrade({}, 'http://[::1')).toBe(400);
    expect(upgrade({ host: 'evil.example:4000', origin: 'http://evil.example:4000' })).toBe(421);
    expect(upgrade({}, '/elsewhere')).toBe(404);
    expect(upgrade({ origin: undefined })).toBe(403);
    expect(upgrade({ origin: 'http://localhost:4000' })).toBe(403);
    expect(upgrade({ 'sec-websocket-protocol': `token.${TOKEN}` })).toBe(400);
    expect(upgrade({ 'sec-websocket-protocol': `provisioning.v1, token.${TOKEN}, token.${TOKEN}` })).toBe(401);
    expect(upgrade({ 'sec-websocket-protocol': webSocketProtocols('é'.repeat(32)).join(',') })).toBe(401);
  });

  it('on port 80 takes the bare name browsers send (they leave the default port out), on other ports never', () => {
    const on80 = (headers: Record<string, string>) =>
      upgradeRefusal('/api', { 'sec-websocket-protocol': webSocketProtocols(TOKEN).join(', '), ...headers }, hostNames(80), TOKEN)?.status;
    expect(on80({ host: '127.0.0.1', origin: 'http://127.0.0.1' })).toBeUndefined();
    expect(on80({ host: '127.0.0.1:80', origin: 'http://127.0.0.1:80' })).toBeUndefined();
    expect(on80({ host: 'localhost', origin: 'http://localhost' })).toBe(421);
    expect(upgrade({ host: '127.0.0.1', origin: 'http://127.0.0.1' })).toBe(421);
  });

  it('reads the token from a fragment and from offered subprotocols', () => {
    expect(fragmentToken(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(fragmentToken(`#view=graph&token=${TOKEN}`)).toBe(TOKEN);
    expect(fragmentToken('#token=')).toBeUndefined();
    expect(fragmentToken('#tokens=abc')).toBeUndefined();
    expect(offeredToken(`provisioning.v1,token.${TOKEN}`)).toBe(TOKEN);
    expect(offeredToken(undefined)).toBeUndefined();
  });
});
