/**
 * Registry validation on hostile inputs (issue 15, item 9): the three cases of the report — 30,000
 * duplicate ports, 5,000 services with two errors each, a 1 MiB text as a client would send it —
 * next to a valid registry of the same size as the reference, measured in the same run.
 * Goal: linear work, so each hostile case costs about what a valid file of its size does.
 */
import { parseRegistry } from '@shared/model';
import { hostileRegistries } from '../test/support/hostile-registries';
import { median, ms, printTable } from './measure';
import { syntheticNodes, syntheticToml } from './synthetic-registry';

const { make: duplicatePorts } = hostileRegistries['duplicate ports in one service']!;
const { make: twoErrors } = hostileRegistries['two errors per service']!;
const { make: onePort } = hostileRegistries['many services on one port']!;

const cases: [string, string][] = [
  ['30,000 duplicate ports (one service)', duplicatePorts(30_000)],
  ['30,000 services on one port', onePort(30_000)],
  ['5,000 services, 2 errors each', twoErrors(5_000)],
  ['1 MiB text, 2 errors per service', twoErrors(9_000)],
];

const rows = cases.map(([name, text]) => {
  const reference = syntheticToml(syntheticNodes(Math.max(1, Math.round(text.length / 230))));
  const hostile = median(() => parseRegistry(text, 'bench.toml'), 3);
  const valid = median(() => parseRegistry(reference, 'bench.toml'), 3);
  const issues = parseRegistry(text, 'bench.toml').found.errors;
  return [name, `${(text.length / 1024).toFixed(0)} KB`, issues.toLocaleString('en'), ms(hostile), ms(valid), `${(hostile / valid).toFixed(2)}x`];
});

console.log(`\nRegistry validation (median of 3, Node ${process.version})\n`);
printTable(['case', 'size', 'errors found', 'validate', 'valid file, same size', 'ratio'], rows);
