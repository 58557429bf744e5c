export const EXIT = { OK: 0, FATAL: 1, USAGE: 2, DOCUMENT_ERRORS: 3, OUTPUT: 4, SIGINT: 130, SIGTERM: 143 } as const;

/** After SIGINT or SIGTERM, the process is gone within this long, whatever is still running. */
export const FORCE_EXIT_MS = 4_000;

/** The shell's convention: 128 + the signal's number. */
export function signalExit(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM;
}

/**
 * Answers SIGINT and SIGTERM: the first calls `first` (a clean stop), a second one ends the process at
 * once. `signal` says which came first; `off` stops listening.
 */
export function onSignals(first: (signal: NodeJS.Signals) => void): {
  signal: NodeJS.Signals | undefined;
  off: () => void;
} {
  const state: { signal: NodeJS.Signals | undefined; off: () => void } = { signal: undefined, off: () => undefined };
  const handler = (signal: NodeJS.Signals) => {
    if (state.signal) {
      process.stderr.write(`rostelecom-account: ${signal} again: stopped at once\n`);
      process.exit(signalExit(state.signal));
    }
    state.signal = signal;
    first(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  state.off = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  return state;
}

export class UsageError extends Error {}
