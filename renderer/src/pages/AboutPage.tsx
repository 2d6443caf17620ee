// About: version, where the config and logs are, the update check, and the licences.
import { describeUpdate } from '../../../src/shared/format';
import { CommandButton } from '../components/CommandButton';
import { LICENCES } from '../licences';
import { useSnapshot } from '../store';

export function AboutPage() {
  const s = useSnapshot();
  return (
    <>
      <h1 tabIndex={-1}>About</h1>
      <section className="card" aria-labelledby="about-app">
        <h2 id="about-app">Studio Worker</h2>
        <dl className="facts">
          <dt>Version</dt>
          <dd data-testid="app-version">{s.agentVersion}</dd>
          <dt>Config file</dt>
          <dd className="break">
            <code>{s.configPath}</code>
          </dd>
          <dt>Log folder</dt>
          <dd>
            <CommandButton label="Open log folder" command={{ type: 'openLogsFolder' }} />
          </dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="about-updates">
        <h2 id="about-updates">Updates</h2>
        <p>
          Update state: <span data-testid="update-state">{describeUpdate(s.update)}</span>
        </p>
        <CommandButton label="Check for updates" command={{ type: 'checkForUpdates' }} />
      </section>
      <section className="card" aria-labelledby="about-licences">
        <h2 id="about-licences">Open-source licences</h2>
        <p className="muted">Studio Worker is MIT licensed and built on these packages:</p>
        <table className="licences">
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col">Licence</th>
              <th scope="col">Used for</th>
            </tr>
          </thead>
          <tbody>
            {LICENCES.map((l) => (
              <tr key={l.name}>
                <td>
                  <code>{l.name}</code>
                </td>
                <td>{l.licence}</td>
                <td>{l.use}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
