import * as vscode from 'vscode';
import type { Logger } from './core/client';

/** The extension's log (Output → Ideogram), with levels the user can change. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Ideogram', { log: true });
}

/** Adapts the log channel to the core's logger, removing the key from anything that could carry it. */
export function coreLogger(log: vscode.LogOutputChannel, secretsToHide: () => string[]): Logger {
  return (level, message) => {
    let safe = message;
    for (const secret of secretsToHide()) {
      if (secret.length >= 4) safe = safe.split(secret).join('[redacted]');
    }
    log[level](safe);
  };
}
