/** Health check and remote URLs are checked as they will be requested (issue 15, item 16). */
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../support/registry-text';

const withUrl = (url: string) =>
  `[services.a]\ndeployment = { mode = "binary", binary = { command = "node" } }\nhealth_check = { type = "http", http = { url = "${url}" } }\n`;
const CREDENTIALS =
  'credentials in a URL are shown wherever it is (status, events, logs): remove them and use token = { env = "NAME" } for a remote service, or a header from an env reference for a check';
const NUL = 'a NUL character cannot be in an environment variable or header: remove it';
const remote = (url: string) => `[services.a]\ndeployment = { mode = "remote", remote = { url = "${url}" } }\n`;

describe('http URLs', () => {
  it.each([
    ['http://127.0.0.1:70000/health', 'port 70000 is out of range: a port is 1 to 65535'],
    ['http://127.0.0.1:0/health', 'port 0 is out of range: a port is 1 to 65535'],
    ['http://[::1]:0', 'port 0 is out of range: a port is 1 to 65535'],
    ['http://[::1', 'not a valid URL: check the host (an IPv6 address needs both brackets, as in http://[::1]:8080/)'],
    ['ftp://127.0.0.1/', 'an http:// or https:// URL'],
    ['http://u@h:65535/x?y#z', CREDENTIALS],
    ['https://user:pw@127.0.0.1/health', CREDENTIALS],
  ])('%s is refused where it is written', (url, message) => {
    expect(issuesOf(withUrl(url))).toEqual([`services.toml:3:42 services.a.health_check.http.url: ${message}`]);
  });

  it.each(['http://127.0.0.1:8080/health', 'https://[::1]:8443/', 'http://localhost/', 'http://h:65535/x?y=u@v#z'])('%s is accepted', (url) => {
    expect(issuesOf(withUrl(url))).toEqual([]);
  });

  it('checks a remote service URL the same way', () => {
    expect(issuesOf(remote('https://api.example:99999/'))).toEqual([
      'services.toml:2:44 services.a.deployment.remote.url: port 99999 is out of range: a port is 1 to 65535',
    ]);
    // Before: accepted, and the password was echoed into every status reason and event of the service.
    expect(issuesOf(remote('https://user:pw@api.example/'))).toEqual([`services.toml:2:44 services.a.deployment.remote.url: ${CREDENTIALS}`]);
  });

  it('refuses a NUL in a literal environment value or header where it is written', () => {
    // Before: accepted; the start then failed with ERR_INVALID_ARG_VALUE, echoing the value.
    const text = `[services.a]\ndeployment = { mode = "binary", binary = { command = "node", env = { A = "x\\u0000y" } } }\n`;
    expect(issuesOf(text)).toEqual([`services.toml:2:70 services.a.deployment.binary.env.A: ${NUL}`]);
    expect(issuesOf(withUrl('http://127.0.0.1/').replace('url =', 'headers = { X = "a\\u0000" }, url ='))).toEqual([
      expect.stringContaining(`services.a.health_check.http.headers.X: ${NUL}`),
    ]);
  });
});
