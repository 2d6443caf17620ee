// A button that sends one command, and the worker's answer beside it (a polite live region, so
// a screen reader hears "saved" or the error without moving focus).
import type { CommandResult, WorkerCommand } from '../../../src/shared/bridge';
import { useCommand } from '../use-command';

export function ResultMessage({ result }: { result: CommandResult | null }) {
  return (
    <span role="status" className={`result ${result && !result.ok ? 'result-error' : ''}`}>
      {result ? (result.ok ? (result.message ?? 'done') : result.error) : ''}
    </span>
  );
}

export function CommandButton(props: {
  label: string;
  command: WorkerCommand;
  primary?: boolean;
  /** Hide the answer when it is only "done" (the snapshot shows the effect). */
  quietSuccess?: boolean;
}) {
  const { pending, result, run } = useCommand();
  const shown = props.quietSuccess && result?.ok && !result.message ? null : result;
  return (
    <span className="command">
      <button
        type="button"
        className={props.primary ? 'primary' : undefined}
        aria-busy={pending}
        onClick={() => {
          if (!pending) void run(props.command);
        }}
      >
        {props.label}
      </button>
      <ResultMessage result={shown} />
    </span>
  );
}
