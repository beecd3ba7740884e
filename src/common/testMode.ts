// What the extension's own integration tests observe and drive, in one module. Areas report here what a user would
// see (a failure shown, a "Saved …" announcement, a message posted to the sidebar); the sidebar hands over how to
// deliver a message as its webview would. Nothing is kept unless activate() switched recording on, which it does
// only when VS Code runs the extension in test mode (ExtensionMode.Test): in a user's VS Code each report is a
// no-op, and the testing API is never returned. It sits below every area, so any of them may report here.
import * as vscode from 'vscode';
import type { HostMessage } from './protocol';

/** A failure as the user saw it: the message and its buttons. */
export interface ShownFailure {
  message: string;
  actions: string[];
  kind: string;
}

// Bounded, but far above what a test run shows: tests take what was shown after a mark by the list's length.
const KEEP = 10_000;
let recording = false;
const failures: ShownFailure[] = [];
const announcements: string[] = [];
const posted = new vscode.EventEmitter<HostMessage>();
let deliverToSidebar: ((raw: unknown) => Promise<void>) | undefined;

function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > KEEP) list.shift();
}

export function reportFailureShown(failure: ShownFailure): void {
  if (recording) keep(failures, failure);
}

/** A "Saved …" message about a job nobody was waiting for. */
export function reportAnnouncement(message: string): void {
  if (recording) keep(announcements, message);
}

export function reportPostedToSidebar(message: HostMessage): void {
  if (recording) posted.fire(message);
}

/** How to deliver a message as the sidebar's webview would (validated like any other). */
export function acceptSidebarMessages(deliver: (raw: unknown) => Promise<void>): vscode.Disposable {
  deliverToSidebar = deliver;
  return new vscode.Disposable(() => {
    if (deliverToSidebar === deliver) deliverToSidebar = undefined;
  });
}

/** What the extension's own integration tests observe (the services they drive come from activate()). */
export interface TestObservations {
  /** The last failures and announcements shown to the user, newest last. */
  recentFailures(): readonly ShownFailure[];
  recentAnnouncements(): readonly string[];
  /** The sidebar's traffic: deliver a message as its webview would; every message actually posted to it. */
  webview: { send(raw: unknown): Promise<void>; onDidPost: vscode.Event<HostMessage> };
  /** Where VS Code keeps this extension's logs and state, so tests can check that the key never lands there. */
  logUri: vscode.Uri;
  globalStorageUri: vscode.Uri;
  state: { workspace: vscode.Memento; global: vscode.Memento };
}

/** In test mode only: starts recording and hands the tests `services` with what they observe. */
export function testingApi<Services extends object>(
  context: vscode.ExtensionContext,
  services: Services,
): (Services & TestObservations) | undefined {
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  recording = true;
  return {
    ...services,
    recentFailures: () => failures,
    recentAnnouncements: () => announcements,
    webview: {
      send: (raw) => deliverToSidebar?.(raw) ?? Promise.reject(new Error('the sidebar is not registered')),
      onDidPost: posted.event,
    },
    logUri: context.logUri,
    globalStorageUri: context.globalStorageUri,
    state: { workspace: context.workspaceState, global: context.globalState },
  };
}
