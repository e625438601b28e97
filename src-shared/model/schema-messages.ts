/** Turns zod issues into registry issues with messages written for people editing TOML. */
import type { z } from 'zod';
import { suggestion } from './did-you-mean';
import { error, type KeyPath, type RegistryIssue } from './registry-issue';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  object: 'a table',
  record: 'a table',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** What was found instead. Strings are not repeated: the wrong value may be a secret written in place. */
function describe(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return value instanceof Date ? 'a date' : 'a table';
  return String(value);
}

/** Messages for zod's default cases; schemas with their own `error` keep theirs. */
function messageFor(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    case 'invalid_value': {
      if (issue.input === undefined) return 'required';
      const choices = issue.values.map((value) => JSON.stringify(value)).join(', ');
      if (typeof issue.input !== 'string') return `must be one of ${choices}; got ${describe(issue.input)}`;
      return `must be one of ${choices}; got ${JSON.stringify(issue.input)}${suggestion(issue.input, issue.values.map(String))}`;
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${issue.minimum} entries`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}, got ${describe(issue.input)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, got ${describe(issue.input)}`;
    case 'invalid_key':
      return issue.issues[0]?.message;
    default:
      return undefined;
  }
}

/** Parses with readable messages; unknown keys become one issue each, with a did-you-mean. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown, prefix: KeyPath): { data?: z.output<T>; issues: RegistryIssue[] } {
  const knownKeys = new WeakMap<object, string[]>();
  const result = schema.safeParse(input, {
    reportInput: true,
    error: (issue) => {
      if (issue.code === 'unrecognized_keys' && issue.inst && typeof issue.input === 'object' && issue.input) {
        knownKeys.set(issue.input, Object.keys((issue.inst as z.ZodObject).shape));
      }
      return messageFor(issue);
    },
  });
  if (result.success) return { data: result.data, issues: [] };
  const located = (issue: z.core.$ZodIssue, at: KeyPath): RegistryIssue[] => {
    const path = [...at, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))];
    const table = tableBranch(issue);
    if (table) return table.flatMap((inner) => located(inner, path));
    if (issue.code !== 'unrecognized_keys') return [error(path, issue.message)];
    const known = knownKeys.get(issue.input as object) ?? [];
    return issue.keys.map((key) => error([...path, key], `unknown key${suggestion(key, known)}`));
  };
  return { issues: result.error.issues.flatMap((issue) => located(issue, prefix)) };
}

/**
 * A table given where a union takes a table or something else (a dependency: a name, or
 * `{ name, condition }`): the table's own problems, located inside it, say more than the union's
 * one message. Undefined for any other issue.
 */
function tableBranch(issue: z.core.$ZodIssue): readonly z.core.$ZodIssue[] | undefined {
  if (issue.code !== 'invalid_union' || typeof issue.input !== 'object' || issue.input === null || Array.isArray(issue.input)) return undefined;
  const matched = issue.errors.filter((branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
  return matched.length === 1 ? matched[0] : undefined;
}
