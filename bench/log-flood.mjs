// Writes numbered log lines at about <MB/s> megabytes a second (default 10) until stopped.
const rate = Number(process.argv[2] ?? 10) * 1024 * 1024;
const line = (n) => `line ${String(n).padStart(9, '0')} ${'x'.repeat(80)}\n`;
let n = 0;
const tick = () => {
  let budget = rate / 50;
  let chunk = '';
  while (budget > 0) {
    const text = line(n++);
    chunk += text;
    budget -= text.length;
  }
  process.stdout.write(chunk, () => setTimeout(tick, 20));
};
tick();
