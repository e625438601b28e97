/**
 * `${NAME}`, `${NAME:-default}` (unset or empty) and `${NAME-default}` (unset) in a registry string,
 * read from the variables of the service's env files. `${home}` and `${registry_dir}` stay for
 * placeholders.ts, and `$${` stays a literal `${` (expanded there too).
 */
import { suggestion } from './did-you-mean';
import { PLACEHOLDERS } from './placeholders';

export type Variables = Readonly<Record<string, string>>;

export interface Interpolated {
  readonly text: string;
  /** Names used without a default that no env file sets (each replaced by nothing). */
  readonly unset: readonly string[];
  /** Names whose value was used. */
  readonly used: readonly string[];
}

/** A default holds no `$` or `}`: each `${` is then scanned to the next one only, linear in the text. */
const REFERENCE = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}$]*))?\}/g;
const isPlaceholder = (name: string): boolean => (PLACEHOLDERS as readonly string[]).includes(name);

export const hasReference = (text: string): boolean => text.includes('${');

export function interpolate(text: string, variables: Variables): Interpolated {
  const unset: string[] = [];
  const used: string[] = [];
  const result = text.replace(REFERENCE, (whole, name: string, operator: string | undefined, fallback: string | undefined) => {
    if (isPlaceholder(name)) return whole;
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value !== undefined && !(operator === ':-' && value === '')) {
      used.push(name);
      return value;
    }
    if (operator !== undefined) return fallback ?? '';
    // `${hom}` is a typo of a placeholder: the placeholder check says so, with its suggestion.
    if (suggestion(name, PLACEHOLDERS) !== '') return whole;
    unset.push(name);
    // Reported by the caller; left out so no other check reads it as a placeholder.
    return '';
  });
  return { text: result, unset, used };
}
