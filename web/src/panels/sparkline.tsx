/** A tiny SVG line of recent mids; the path is recomputed only when the row changed. */
export function Sparkline({
  values,
  width = 80,
  height = 22,
}: {
  values: number[];
  width?: number;
  height?: number;
}) {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2)
    return <svg class="spark" width={width} height={height} aria-hidden="true" />;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const step = width / (finite.length - 1);
  const points = finite
    .map(
      (v, i) =>
        `${(i * step).toFixed(1)},${(height - 1 - ((v - min) / span) * (height - 2)).toFixed(1)}`,
    )
    .join(' ');
  const up = finite[finite.length - 1] >= finite[0];
  return (
    <svg class={`spark ${up ? 'up' : 'down'}`} width={width} height={height} aria-hidden="true">
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.2" />
    </svg>
  );
}
