/**
 * Registry texts shaped to make validation work hard (issue 15, item 9), each at a size: the
 * shapes that were quadratic, for the scaling tests and bench/validation.bench.ts.
 */
const service = (name: string, extra = '') => `[services.${name}]\n${extra}deployment = { mode = "binary", binary = { command = "node" } }\n`;

export interface HostileRegistry {
  readonly make: (size: number) => string;
  /** A size the scaling test checks (and an eighth of it); the benchmark uses its own. */
  readonly size: number;
}

export const hostileRegistries: Record<string, HostileRegistry> = {
  'duplicate ports in one service': { make: (n) => service('a', `ports = [${Array(n).fill('8080').join(', ')}]\n`), size: 16_000 },
  'many services on one port': { make: (n) => Array.from({ length: n }, (_, i) => service(`s${i}`, 'ports = [8080]\n')).join(''), size: 4_000 },
  'two errors per service': {
    make: (n) => Array.from({ length: n }, (_, i) => service(`s${i}`, `dependencies = ["nope${i}"]\nordr = 1\n`)).join(''),
    size: 4_000,
  },
  // Its cycle's path was built by inserting at the front, one service at a time.
  'one long dependency ring': {
    make: (n) => Array.from({ length: n }, (_, i) => service(`s${i}`, `dependencies = ["s${(i + 1) % n}"]\n`)).join(''),
    size: 16_000,
  },
  'conflicts along a long chain': {
    make: (n) =>
      Array.from({ length: n }, (_, i) => service(`s${i}`, `${i > 0 ? `dependencies = ["s${i - 1}"]\n` : ''}conflicts = ["x${i}"]\n`)).join('') +
      Array.from({ length: n }, (_, i) => service(`x${i}`)).join(''),
    size: 16_000,
  },
};
