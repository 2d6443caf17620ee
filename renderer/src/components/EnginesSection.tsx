// Settings → Engines: the configured engines with their health, models and a Test button; the
// servers found on this machine, each added with one click; and a GGUF file for the built-in
// engine (a file picker on the desktop, a path field in the browser). Everything goes through
// the bridge's engine commands; the list is asked for again after each change.
import { useCallback, useEffect, useState } from 'react';
import type { CommandResult, DetectedEngineView, EngineView } from '../../../src/shared/bridge';
import { useSend } from '../store';
import { useCommand } from '../use-command';
import { ResultMessage } from './CommandButton';

export function EnginesSection({ canPickFiles }: { canPickFiles: boolean }) {
  const send = useSend();
  const [engines, setEngines] = useState<EngineView[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const detect = useCommand();
  const add = useCommand();
  const llama = useCommand();
  const [detected, setDetected] = useState<DetectedEngineView[] | null>(null);
  const [ggufPath, setGgufPath] = useState('');

  const showList = useCallback((answer: CommandResult) => {
    if (answer.ok) {
      setEngines(answer.engines ?? []);
      setListError(null);
    } else setListError(answer.error);
  }, []);
  const refresh = useCallback(() => send({ type: 'listEngines' }).then(showList), [send, showList]);

  useEffect(() => {
    let live = true;
    void send({ type: 'listEngines' }).then((answer) => {
      if (live) showList(answer);
    });
    return () => {
      live = false;
    };
  }, [send, showList]);

  const runDetect = async () => {
    const answer = await detect.run({ type: 'detectEngines' });
    if (answer.ok) setDetected(answer.detected ?? []);
  };

  const addDetected = async (server: DetectedEngineView) => {
    const answer = await add.run({
      type: 'addDetectedEngine',
      server: server.server,
      port: server.port,
    });
    if (!answer.ok) return;
    setDetected((list) =>
      (list ?? []).map((d) => (d.baseUrl === server.baseUrl ? { ...d, configured: true } : d)),
    );
    await refresh();
  };

  const pick = async () => {
    const answer = await llama.run({ type: 'pickModelFile' });
    if (answer.ok && answer.path !== undefined) setGgufPath(answer.path);
  };

  const addGguf = async () => {
    const answer = await llama.run({ type: 'addLlamaModel', path: ggufPath.trim() });
    if (answer.ok) {
      setGgufPath('');
      await refresh();
    }
  };

  return (
    <section className="card" aria-labelledby="settings-engines">
      <h2 id="settings-engines">Engines</h2>
      <p className="muted">Engine changes take effect after the worker restarts.</p>
      <h3>Configured</h3>
      {listError !== null ? <p className="result result-error">{listError}</p> : null}
      {engines === null ? (
        <p className="muted">Checking the engines…</p>
      ) : (
        <ul className="engine-list" aria-label="Configured engines">
          {engines.map((engine) => (
            <ConfiguredEngine key={engine.where} engine={engine} />
          ))}
        </ul>
      )}

      <h3>Found on this machine</h3>
      <p>
        <button type="button" onClick={() => void runDetect()} aria-busy={detect.pending}>
          Detect engines
        </button>{' '}
        <ResultMessage result={detect.result} />
      </p>
      {detected !== null && detected.length > 0 ? (
        <ul className="engine-list" aria-label="Detected engines">
          {detected.map((server) => (
            <li key={server.baseUrl} aria-label={server.label}>
              <strong>{server.label}</strong> <span className="muted">{server.baseUrl}</span>
              <div className="muted">
                {server.models.length > 0 ? server.models.join(', ') : 'no models listed'}
              </div>
              {server.configured ? (
                <span>Added</span>
              ) : (
                <button
                  type="button"
                  aria-label={`Add ${server.label}`}
                  onClick={() => void addDetected(server)}
                  disabled={add.pending}
                >
                  Add
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <ResultMessage result={add.result} />

      <h3>Built-in engine (GGUF model)</h3>
      <div className="field">
        <label htmlFor="engines-gguf-path">GGUF model file</label>
        <input
          id="engines-gguf-path"
          type="text"
          spellCheck={false}
          placeholder="/path/to/model.gguf"
          value={ggufPath}
          onChange={(e) => setGgufPath(e.currentTarget.value)}
        />
        {canPickFiles ? (
          <button type="button" onClick={() => void pick()}>
            Choose file…
          </button>
        ) : null}
        <button
          type="button"
          onClick={() => void addGguf()}
          disabled={ggufPath.trim() === '' || llama.pending}
        >
          Add model
        </button>
        <ResultMessage result={llama.result} />
      </div>
    </section>
  );
}

function ConfiguredEngine({ engine }: { engine: EngineView }) {
  const test = useCommand();
  // Two tables of one engine without an address (two synthetic routes) differ by their place.
  const name = `${engine.engine} (${engine.detail ?? engine.where})`;
  return (
    <li aria-label={name}>
      <strong>{engine.engine}</strong>{' '}
      {engine.detail ? <span className="muted">{engine.detail}</span> : null}
      <div data-testid="engine-health">
        {engine.reachable ? 'answers' : `does not answer: ${engine.error ?? 'unknown'}`}
      </div>
      <div className="muted" data-testid="engine-models">
        {engine.models.length > 0 ? engine.models.join(', ') : 'no models'}
      </div>
      <button
        type="button"
        aria-label={`Test ${name}`}
        aria-busy={test.pending}
        disabled={test.pending}
        onClick={() => void test.run({ type: 'testEngine', where: engine.where })}
      >
        Test
      </button>{' '}
      <ResultMessage result={test.result} />
    </li>
  );
}
