// Logs: the last 1000 entries (oldest first, as a log reads), filtered by level and by text in
// category, message or job id; follow mode keeps the newest in view; copy takes what is shown.
import { useMemo, useState } from 'react';
import type { CommandResult } from '../../../src/shared/bridge';
import { formatLogLine } from '../../../src/shared/format';
import { ResultMessage } from '../components/CommandButton';
import { InlineSelect } from '../components/InlineSelect';
import { LogLine } from '../components/LogLine';
import { WindowedList } from '../components/WindowedList';
import type { LevelFilter } from '../log-filter';
import { filterLogs } from '../log-filter';
import { useSnapshot } from '../store';

const ROW_HEIGHT = 24;
const FALLBACK_HEIGHT = 480;

const LEVELS: { value: LevelFilter; label: string }[] = [
  { value: 'all', label: 'All levels' },
  { value: 'info', label: 'Info' },
  { value: 'warn', label: 'Warnings' },
  { value: 'error', label: 'Errors' },
];

export function LogsPage() {
  const s = useSnapshot();
  const [level, setLevel] = useState<LevelFilter>('all');
  const [text, setText] = useState('');
  const [follow, setFollow] = useState(true);
  const [copied, setCopied] = useState<CommandResult | null>(null);
  const shown = useMemo(() => filterLogs(s.logs, level, text), [s.logs, level, text]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shown.map(formatLogLine).join('\n'));
      setCopied({
        ok: true,
        message: `copied ${shown.length} line${shown.length === 1 ? '' : 's'}`,
      });
    } catch (error) {
      setCopied({ ok: false, error: `could not copy: ${(error as Error).message}` });
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Logs</h1>
      <div className="toolbar" role="group" aria-label="Log filters">
        <InlineSelect label="Level" value={level} options={LEVELS} onChange={setLevel} />
        <label className="inline-field grow">
          Search{' '}
          <input
            type="search"
            value={text}
            placeholder="category, message or job id"
            onChange={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <label className="inline-field">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow(e.currentTarget.checked)}
          />{' '}
          Follow
        </label>
        <span className="command">
          <button type="button" onClick={() => void copy()} disabled={shown.length === 0}>
            Copy visible lines
          </button>
          <ResultMessage result={copied} />
        </span>
      </div>
      <p className="muted" data-testid="log-count">
        Showing {shown.length} of {s.logs.length} entries
        {s.logsDropped > 0 ? ` (${s.logsDropped} older entries dropped)` : ''}.
      </p>
      {shown.length === 0 ? (
        <p className="card muted">
          {s.logs.length === 0 ? 'No log entries yet.' : 'No entries match the filter.'}
        </p>
      ) : (
        <WindowedList
          items={shown}
          rowHeight={ROW_HEIGHT}
          fallbackHeight={FALLBACK_HEIGHT}
          label="Log entries"
          follow={follow}
          onLeaveBottom={() => setFollow(false)}
          rowKey={(e, i) => `${i}-${e.ts}`}
          renderRow={(e) => <LogLine entry={e} />}
        />
      )}
    </>
  );
}
