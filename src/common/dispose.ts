import type * as vscode from 'vscode';

/** Disposes every item of `disposables` once, last registered first, and empties the list. */
export function disposeAll(disposables: vscode.Disposable[]): void {
  while (disposables.length > 0) disposables.pop()?.dispose();
}

/**
 * What owns registrations: each is handed to `register` when it is made, and goes with the owner's dispose, once
 * (the shape of the markdown extension's `Disposable`). Subclasses with more to do on dispose override
 * `dispose()` and call `super.dispose()`.
 */
export abstract class Disposable implements vscode.Disposable {
  #disposed = false;
  readonly #disposables: vscode.Disposable[] = [];

  protected get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Keeps `value` until this is disposed; after that, disposes it at once. */
  protected register<T extends vscode.Disposable>(value: T): T {
    if (this.#disposed) value.dispose();
    else this.#disposables.push(value);
    return value;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    disposeAll(this.#disposables);
  }
}
