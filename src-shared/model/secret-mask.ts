/**
 * Secret values of env files never leave the engine as they are: in whatever it writes or shows
 * (lifecycle lines, reasons, state, events, the registry as shown) each reads as `${NAME}`.
 * Values shorter than MIN_MASKED characters are left: masking every "1" or "on" would garble every
 * message while protecting nothing a guess would not find.
 */
import type { EnvFileValues } from './service-schema';
import { putOwn } from './table';

export const MIN_MASKED = 4;

export type Mask = (text: string) => string;

const unmasked: Mask = (text) => text;

/** `fromEnvFiles`: one service's, or several (a message about the whole registry). */
export function secretMask(fromEnvFiles: EnvFileValues | readonly EnvFileValues[] | undefined): Mask {
  const all: readonly EnvFileValues[] = fromEnvFiles === undefined ? [] : Array.isArray(fromEnvFiles) ? fromEnvFiles : [fromEnvFiles as EnvFileValues];
  const secrets = all
    .flatMap((files) => files.secret.map((name) => ({ name, value: files.values[name]! })))
    .filter(({ value }) => value.length >= MIN_MASKED)
    // The longest first: a value that contains another is masked whole.
    .sort((a, b) => b.value.length - a.value.length);
  if (secrets.length === 0) return unmasked;
  return (text) => secrets.reduce((masked, { name, value }) => (masked.includes(value) ? masked.replaceAll(value, `\${${name}}`) : masked), text);
}

/** Every string of `value` masked (a copy; the same value when nothing is secret). */
export function maskDeep<T>(value: T, mask: Mask): T {
  if (mask === unmasked) return value;
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') return mask(item);
    if (Array.isArray(item)) return item.map(visit);
    if (typeof item !== 'object' || item === null) return item;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(item)) putOwn(copy, key, visit(child));
    return copy;
  };
  return visit(value) as T;
}
