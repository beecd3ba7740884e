import * as vscode from 'vscode';
import type { Logger } from '../core/client';

/** The extension's log (Output → Ideogram), with levels the user can change. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Ideogram', { log: true });
}

/** Adapts the log channel to the core's logger. The client already removes the key from what it logs. */
export function coreLogger(log: vscode.LogOutputChannel): Logger {
  return (level, message) => log[level](message);
}
