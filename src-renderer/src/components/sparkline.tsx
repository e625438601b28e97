/** A health latency sparkline: one point per check, failed checks as red marks. */
export function Sparkline({ points, width = 80, height = 18 }: { points: readonly { ok: boolean; latencyMs: number }[]; width?: number; height?: number }) {
  if (points.length < 2) return <svg className="sparkline" width={width} height={height} aria-hidden="true" />;
  const max = Math.max(1, ...points.map((p) => p.latencyMs));
  const x = (i: number) => (i / (points.length - 1)) * (width - 2) + 1;
  const y = (latency: number) => height - 1 - (latency / max) * (height - 2);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.latencyMs).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={`health latency, last ${points.length} checks, up to ${max.toFixed(0)} ms`}>
      <polyline points={line} fill="none" stroke="currentColor" strokeWidth="1.2" />
      {points.map((p, i) => (p.ok ? null : <circle key={i} cx={x(i)} cy={y(p.latencyMs)} r="1.8" className="spark-fail" />))}
    </svg>
  );
}
