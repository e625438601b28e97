/** A TOML table as parsed, before the schema has said anything about it. */
export type Table = Record<string, unknown>;

export const isTable = (value: unknown): value is Table => typeof value === 'object' && value !== null && !Array.isArray(value);
