/**
 * Where the engine's registry comes from now, and what a saved registry path does, in words: the
 * owner says which step of discovery found its file (`--config` > PROVISIONING_CONFIG > the saved
 * setting > the user's file > the embedded demo, discovery-order.ts). A saved path never replaces
 * the file of a running engine, and while `--config` or PROVISIONING_CONFIG names one it is not
 * used at all — saying "from the next start" then would be untrue. Unit-tested without a browser.
 */
import type { Result } from '@shared/contract/methods';

type Hello = Result<'hello'>;
type Source = NonNullable<Hello['registrySource']>;

const FROM: Readonly<Record<Source, string>> = {
  flag: 'named by --config',
  env: 'named by PROVISIONING_CONFIG',
  settings: 'the path saved here',
  user: 'your registry (~/.provisioning/config/services.toml)',
  embedded: 'the embedded demo registry',
};
const OVERRIDES: Partial<Record<Source, string>> = { flag: '--config', env: 'PROVISIONING_CONFIG' };

/** What names this engine's file in place of a saved path (`--config`, PROVISIONING_CONFIG), if anything. */
export const overriddenBy = (hello: Pick<Hello, 'registrySource'>): string | undefined => (hello.registrySource ? OVERRIDES[hello.registrySource] : undefined);

/** "Now: <file>, <where from>." */
export function registryNow(hello: Pick<Hello, 'registry' | 'registrySource'>): string {
  return `Now: ${hello.registry}${hello.registrySource ? `, ${FROM[hello.registrySource]}` : ''}.`;
}

/** What the saved path does (undefined: what it names is what runs now). */
export function savedPathNote(hello: Pick<Hello, 'registry' | 'registrySource'>, saved: string | null): string | undefined {
  const over = overriddenBy(hello);
  if (over) {
    const what = saved ? `The saved path ${saved} is not in use` : 'A saved path would not be used';
    return `${what}: ${over} overrides it for this engine. It applies once the engine starts without ${over}.`;
  }
  if (hello.registrySource === 'settings' && saved === hello.registry) return undefined;
  if (saved) return `The saved path ${saved} is used from the engine's next start.`;
  return hello.registrySource === 'settings' ? "No path saved: the default is used from the engine's next start." : undefined;
}

/** The notice after a path was saved. */
export function savedPathNotice(hello: Pick<Hello, 'registry' | 'registrySource'> | undefined, saved: string | null): string {
  if (!hello) return `registry set to ${saved ?? 'the default'}: used from the engine's next start`;
  return `registry set to ${saved ?? 'the default'}. ${savedPathNote(hello, saved) ?? 'It is the one in use now.'}`;
}
