// One GPU's memory as a bar: used part filled, the VRAM threshold marked where it falls.
import type { GpuInfo } from '../../../src/shared/snapshot';
import { formatGb } from '../units';

function percent(part: number, whole: number): string {
  return `${Math.min(100, Math.max(0, (part / whole) * 100)).toFixed(2)}%`;
}

export function VramBar({ gpu, thresholdGb }: { gpu: GpuInfo; thresholdGb: number }) {
  const total = gpu.vramTotalGb;
  const used =
    gpu.vramUsedGb ?? (total !== null && gpu.vramFreeGb !== null ? total - gpu.vramFreeGb : null);
  const free = gpu.vramFreeGb ?? (total !== null && used !== null ? total - used : null);
  const figures = [
    used !== null ? `used ${formatGb(used)}` : null,
    free !== null ? `free ${formatGb(free)}` : null,
    total !== null ? `total ${formatGb(total)}` : 'total unknown',
  ].filter((f): f is string => f !== null);
  return (
    <div className="gpu">
      <div className="gpu-name">
        GPU {gpu.index}: {gpu.name}
        {gpu.utilizationPercent !== null ? (
          <span className="muted"> · {gpu.utilizationPercent}% busy</span>
        ) : null}
        {gpu.unifiedMemory ? <span className="muted"> · memory shared with the system</span> : null}
      </div>
      {total !== null && total > 0 ? (
        <div
          className="vram-bar"
          role="img"
          aria-label={`VRAM: ${figures.join(', ')}; threshold ${formatGb(thresholdGb)}`}
        >
          {used !== null ? (
            <div className="vram-used" style={{ width: percent(used, total) }} />
          ) : null}
          <div
            className="vram-threshold"
            style={{ left: percent(Math.min(thresholdGb, total), total) }}
            title={`threshold ${formatGb(thresholdGb)}`}
          />
        </div>
      ) : null}
      <div className="vram-figures muted">
        {figures.join(' · ')} ·{' '}
        <span className="threshold-key">threshold {formatGb(thresholdGb)}</span>
      </div>
    </div>
  );
}
