import type { Command } from 'commander';
import type { Address } from './address.js';
import { cliConfig, parseDuration, Session, type GlobalOptions } from './session.js';

/** What the command being run has opened and is working on, for the error message and for clean-up. */
export interface RunState {
  address?: Address | undefined;
  session?: Session | undefined;
}

export const state: RunState = {};

/** Writes to stdout and waits for it to drain, so exiting right after loses nothing in a pipe. */
export function out(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(`${text}\n`, (err) => (err ? reject(err) : resolve())));
}

export function err(text: string): void {
  process.stderr.write(`${text}\n`);
}

export const globalsOf = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();

/**
 * Loads the config and opens the backend, after the caller has checked its arguments and read its input, so bad
 * input never opens (or creates) anything.
 */
export async function openSession(command: Command): Promise<Session> {
  const globals = globalsOf(command);
  const timeoutMs = parseDuration(globals.requestTimeout ?? '10s', '--request-timeout');
  const config = await cliConfig(globals);
  state.session = await Session.open(config, timeoutMs);
  return state.session;
}
