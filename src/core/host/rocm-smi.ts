// rocm-smi's answer to ROCM_SMI_ARGS read into GpuInfo. rocm-smi writes the same keys
// ("VRAM Total Memory (B)", "Card Series", "GPU use (%)") in three shapes — --json, --csv and
// its plain `GPU[0] : key: value` log — so each shape becomes per-card records and one function
// turns a record into a GpuInfo.
import type { GpuInfo } from '../../shared/snapshot.js';
import { freeOf, gibFromBytes, numberIn, textIn } from './readings.js';

export const ROCM_SMI_ARGS: readonly string[] = [
  '--showproductname',
  '--showuse',
  '--showmeminfo',
  'vram',
  '--json',
];

/** Per card (`card0`, …): the values under rocm-smi's own key names. */
type CardRecords = Map<string, Record<string, string>>;

function fromJson(text: string): CardRecords | null {
  // Older releases print warnings before the JSON.
  const start = text.indexOf('{');
  if (start < 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start));
  } catch {
    return null;
  }
  const cards: CardRecords = new Map();
  if (typeof parsed !== 'object' || parsed === null) return cards;
  for (const [card, values] of Object.entries(parsed)) {
    if (!/^card\d+$/.test(card) || typeof values !== 'object' || values === null) continue;
    const record: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'string' || typeof value === 'number') record[key] = String(value);
    }
    cards.set(card, record);
  }
  return cards;
}

function fromCsv(text: string): CardRecords {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const headerAt = lines.findIndex((line) => line.startsWith('device,'));
  const cards: CardRecords = new Map();
  if (headerAt < 0) return cards;
  const header = (lines[headerAt] ?? '').split(',');
  for (const line of lines.slice(headerAt + 1)) {
    const cells = line.split(',');
    const card = cells[0]?.trim() ?? '';
    if (!/^card\d+$/.test(card)) continue;
    // Cells are mapped by position: the values read here all come before the free-text columns.
    const record: Record<string, string> = {};
    header.forEach((key, i) => (record[key.trim()] = cells[i]?.trim() ?? ''));
    cards.set(card, record);
  }
  return cards;
}

/** `GPU[0]          : VRAM Total Memory (B): 4278190080` */
function fromLog(text: string): CardRecords {
  const cards: CardRecords = new Map();
  for (const line of text.split(/\r?\n/)) {
    const match = /^GPU\[(\d+)\]\s*:\s*(.+?):\s*(.*)$/.exec(line.trim());
    if (!match?.[1] || !match[2]) continue;
    const card = `card${match[1]}`;
    const record = cards.get(card) ?? {};
    record[match[2].trim()] = (match[3] ?? '').trim();
    cards.set(card, record);
  }
  return cards;
}

function gpuOf(card: string, record: Record<string, string>): GpuInfo | null {
  const total = gibFromBytes(numberIn(record['VRAM Total Memory (B)']));
  if (total === null) return null;
  const used = gibFromBytes(numberIn(record['VRAM Total Used Memory (B)']));
  return {
    index: Number(card.slice(4)),
    name: textIn(record['Card Series']) ?? textIn(record['Card Model']) ?? `AMD GPU (${card})`,
    vramTotalGb: total,
    vramUsedGb: used,
    vramFreeGb: freeOf(total, used),
    utilizationPercent: numberIn(record['GPU use (%)']),
    driverVersion: null,
    source: 'rocm-smi',
  };
}

/** The GPUs in rocm-smi output (JSON, CSV or the plain log); [] when it reports no VRAM. */
export function parseRocmSmi(text: string): GpuInfo[] {
  const cards = fromJson(text) ?? (text.includes('device,') ? fromCsv(text) : fromLog(text));
  return [...cards]
    .map(([card, record]) => gpuOf(card, record))
    .filter((gpu): gpu is GpuInfo => gpu !== null)
    .sort((a, b) => a.index - b.index);
}
