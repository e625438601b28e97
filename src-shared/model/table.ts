/** A TOML table as parsed, before the schema has said anything about it. */
export type Table = Record<string, unknown>;

export const isTable = (value: unknown): value is Table => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets an own property, even for a key named `__proto__` (TOML and dotenv allow it; an assignment would set the prototype). */
export const putOwn = (target: Record<string, unknown>, key: string, value: unknown): void =>
  void Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });

/** A table as TOML writes it — not a date, which smol-toml gives as an object of its own class. */
export const isPlainTable = (value: unknown): value is Table => {
  if (!isTable(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};
