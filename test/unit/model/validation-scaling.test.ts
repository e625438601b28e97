/**
 * Validation is linear in the registry, however broken it is (issue 15, item 9): each hostile shape
 * is validated at 1x and 8x its size and the CPU times compared — linear work grows ~8x, the quadratic
 * checks it replaced grew ~64x. A ratio, measured in the same run, never an absolute bound.
 */
import { describe, expect, it } from 'vitest';
import { formatIssue, MAX_REPORTED_ISSUES, parseRegistry } from '@shared/model';
import { buildGraph, findCycles } from '@shared/graph';
import { hostileRegistries } from '../../support/hostile-registries';

/** CPU time (not wall time: other work on the machine does not count), best of three after a warm-up. */
function bestCpuTime(text: string): number {
  parseRegistry(text, 'warm-up.toml');
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    parseRegistry(text, 'services.toml');
    const { user, system } = process.cpuUsage(start);
    best = Math.min(best, user + system);
  }
  return best;
}

describe('validation scales linearly', () => {
  // The conflict walk is bounded by a budget instead; its test is below.
  const shapes = Object.entries(hostileRegistries).filter(([name]) => name !== 'conflicts along a long chain');
  it.each(shapes)('%s: 8x the input takes far less than 64x the time', (_name, { make, size }) => {
    const ratio = bestCpuTime(make(size)) / bestCpuTime(make(size / 8));
    // Linear: ~8. Quadratic: ~64. Generous for a loaded machine, still far from quadratic.
    expect(ratio).toBeLessThan(24);
  });

  it("a long ring's cycle path: 8x the ring takes far less than 64x the time", () => {
    // Below the parser, whose own linear work would hide it: the path was built by front insertion.
    const ring = (n: number) => buildGraph(Array.from({ length: n }, (_, i) => ({ name: `s${i}`, dependencies: [`s${(i + 1) % n}`], order: 0 })));
    const cpu = (graph: ReturnType<typeof ring>) => {
      findCycles(graph);
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const start = process.cpuUsage();
        expect(findCycles(graph)[0]).toHaveLength(graph.names.length + 1);
        const { user, system } = process.cpuUsage(start);
        best = Math.min(best, user + system);
      }
      return best;
    };
    const [small, large] = [ring(32_000), ring(256_000)];
    expect(cpu(large) / cpu(small)).toBeLessThan(24);
  });
});

describe('error cap', () => {
  it(`lists the first ${MAX_REPORTED_ISSUES} problems in file order, then how many more were found`, () => {
    const result = parseRegistry(hostileRegistries['duplicate ports in one service']!.make(5_000), 'services.toml');
    expect(result.found).toEqual({ errors: 4_999, warnings: 0 });
    expect(result.issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(result.issues.slice(0, 2).map(formatIssue)).toEqual([
      'services.toml:2:16 services.a.ports[1]: port 8080/tcp is listed twice',
      'services.toml:2:22 services.a.ports[2]: port 8080/tcp is listed twice',
    ]);
    expect(formatIssue(result.issues[MAX_REPORTED_ISSUES]!)).toBe(
      `services.toml:2:${10 + 6 * (MAX_REPORTED_ISSUES + 1)} and 4899 more errors not listed (only the first ${MAX_REPORTED_ISSUES} problems are shown; fix these and validate again)`,
    );
  });

  it('counts warnings apart from errors and lists every problem when there are few', () => {
    const text = `[services.a]\nordr = 1\ndeployment = { mode = "binary", binary = { command = "node" } }\n`;
    expect(parseRegistry(text, 's.toml')).toMatchObject({ found: { errors: 1, warnings: 0 }, issues: [{ message: "unknown key (did you mean 'order'?)" }] });
  });

  it('answers with located issues, never a stack overflow, for hundreds of thousands of bad entries', () => {
    // 150,000 issues from one check overflowed `issues.push(...list)`.
    const text = `[services.a]\nports = [${Array(150_000).fill('"x"').join(',')}]\ndeployment = { mode = "binary", binary = { command = "node" } }\n`;
    const result = parseRegistry(text, 's.toml');
    expect(result.found.errors).toBe(150_000);
    expect(result.issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
  });
});

describe('bounded checks keep their answers for real registries', () => {
  const service = (name: string, extra = '') => `[services.${name}]\n${extra}deployment = { mode = "binary", binary = { command = "node" } }\n`;

  it('still suggests the closest name in a large registry', () => {
    const text = Array.from({ length: 2_000 }, (_, i) => service(`svc-${i}`)).join('') + service('web', 'dependencies = ["svc-1999x"]\n');
    expect(parseRegistry(text, 's.toml').issues.map((i) => i.message)).toEqual(["unknown service 'svc-1999x' (did you mean 'svc-1999'?)"]);
  });

  it('suggests nothing for a name too long to be a typo, at no cost', () => {
    const long = `b${'x'.repeat(200_000)}`;
    const text = service('a', `dependencies = ["${long}y"]\n`) + service(`c${long}`);
    const messages = parseRegistry(text, 's.toml').issues.map((i) => i.message);
    expect(messages).toContain(`unknown service '${long}y'`);
  });

  it('still finds a conflict with a transitive dependency', () => {
    const text = service('a', 'dependencies = ["b"]\nconflicts = ["c"]\n') + service('b', 'dependencies = ["c"]\n') + service('c');
    expect(parseRegistry(text, 's.toml').issues.map(formatIssue)).toEqual(["s.toml:3:14 services.a.conflicts[0]: conflicts with 'c', which it depends on"]);
  });

  it('says once when conflicts were too many to compare with a huge graph, instead of walking it for each', () => {
    const result = parseRegistry(hostileRegistries['conflicts along a long chain']!.make(8_000), 's.toml');
    expect(result.issues.map((i) => i.message)).toEqual([
      'this and later conflicts were not compared with the dependencies: too many conflicts in a large graph to check them all',
    ]);
    expect(result.found).toEqual({ errors: 0, warnings: 1 });
  });

  it('shortens the message of a long cycle', () => {
    const names = Array.from({ length: 1_000 }, (_, i) => `s${i}`);
    const text = names.map((name, i) => service(name, `dependencies = ["${names[(i + 1) % names.length]}"]\n`)).join('');
    const [issue] = parseRegistry(text, 's.toml').issues;
    expect(issue!.message).toBe('dependency cycle: s0 → s1 → s2 → s3 → s4 → s5 → s6 → s7 → s8 → s9 → s10 → s11 → … (1000 services) → s0');
  });
});
