/** A usage sparkline: CPU % of the service's whole tree per sample, scaled to its own peak (at least one core's 100 %). */
export function UsageSparkline({ points, width = 80, height = 18 }: { points: readonly { cpuPercent: number }[]; width?: number; height?: number }) {
  if (points.length < 2) return null;
  const max = Math.max(100, ...points.map((p) => p.cpuPercent));
  const x = (i: number) => (i / (points.length - 1)) * (width - 2) + 1;
  const y = (cpu: number) => height - 1 - (cpu / max) * (height - 2);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.cpuPercent).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline usage" width={width} height={height} role="img" aria-label={`CPU, last ${points.length} samples, up to ${max.toFixed(0)} %`}>
      <polyline points={line} fill="none" stroke="currentColor" strokeWidth="1.2" />
    </svg>
  );
}

/** "12.5 % CPU · 48.2 MiB" */
export const usageText = (usage: { cpuPercent: number; memoryBytes: number }): string =>
  `${usage.cpuPercent.toFixed(1)} % CPU · ${(usage.memoryBytes / 2 ** 20).toFixed(1)} MiB`;
