// The desktop app's command line: `--hidden` (started at login: stay in the tray) and
// `--config <path>` (as the CLI). Electron adds its own arguments, so unknown ones are ignored.

export const HIDDEN_FLAG = '--hidden';

export interface DesktopArgs {
  hidden: boolean;
  config: string | undefined;
}

export function parseDesktopArgs(argv: readonly string[]): DesktopArgs {
  let config: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--config') config = argv[i + 1];
    else if (arg.startsWith('--config=')) config = arg.slice('--config='.length);
  }
  return { hidden: argv.includes(HIDDEN_FLAG), config };
}
