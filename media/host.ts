// The webview's side of the protocol (src/common/protocol.ts): typed posting, requests with ids that are settled,
// timed out and cleaned up, and the view state VS Code keeps across reloads.
import type { HostMessage } from '../src/common/protocol';
import type { WebviewMessageInput } from '../src/sidebar/messageSchema';
import { words } from './strings';

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}
declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

type Answer = Extract<HostMessage, { requestId: string }>;
type RequestMessage = Extract<WebviewMessageInput, { requestId: string }>;
/** Omit over each member of a union (the built-in Omit would merge the members). */
type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;

interface Pending {
  resolve(answer: Answer): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Host<State> {
  readonly #api = acquireVsCodeApi<State>();
  readonly #pending = new Map<string, Pending>();
  readonly #listeners = new Set<(message: HostMessage) => void>();
  #nextId = 0;
  /** Distinguishes this page load's ids from an earlier one's answers. */
  readonly #prefix = `w${Date.now().toString(36)}`;

  constructor() {
    window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
      const message = event.data;
      if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
      if ('requestId' in message) {
        const pending = this.#pending.get(message.requestId);
        if (pending) {
          this.#pending.delete(message.requestId);
          clearTimeout(pending.timer);
          pending.resolve(message);
        }
      }
      for (const listener of this.#listeners) listener(message);
    });
  }

  newId(kind: string): string {
    this.#nextId += 1;
    return `${kind}-${this.#prefix}-${this.#nextId}`;
  }

  post(message: WebviewMessageInput): void {
    this.#api.postMessage(message);
  }

  /** Posts a message that expects an answer with the same `requestId`; rejects after `timeoutMs`. */
  request<T extends Answer>(message: WithoutRequestId<RequestMessage>, timeoutMs = 15_000): Promise<T> {
    const requestId = this.newId('q');
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new Error(words.noAnswer));
      }, timeoutMs);
      this.#pending.set(requestId, { resolve: resolve as (answer: Answer) => void, reject, timer });
      this.#api.postMessage({ ...message, requestId });
    });
  }

  onMessage(listener: (message: HostMessage) => void): void {
    this.#listeners.add(listener);
  }

  get state(): State | undefined {
    return this.#api.getState();
  }

  set state(state: State) {
    this.#api.setState(state);
  }
}
