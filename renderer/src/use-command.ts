// Sending one command from a button: whether it is on its way and what the worker answered.
import { useCallback, useState } from 'react';
import type { CommandResult, WorkerCommand } from '../../src/shared/bridge';
import { useSend } from './store';

export interface CommandState {
  pending: boolean;
  result: CommandResult | null;
  run(command: WorkerCommand): Promise<CommandResult>;
  clear(): void;
}

export function useCommand(): CommandState {
  const send = useSend();
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<CommandResult | null>(null);
  const run = useCallback(
    async (command: WorkerCommand) => {
      setPending(true);
      setResult(null);
      try {
        const answer = await send(command);
        setResult(answer);
        return answer;
      } finally {
        setPending(false);
      }
    },
    [send],
  );
  const clear = useCallback(() => setResult(null), []);
  return { pending, result, run, clear };
}
