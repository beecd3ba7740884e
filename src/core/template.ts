/**
 * Fills `{0}`, `{1}`… in a message as `vscode.l10n.t` does: the host translates a message once (without values,
 * which leaves its placeholders) and whoever knows the values (the webview, the core) fills them in later.
 */
export function fillTemplate(template: string, ...values: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? placeholder : String(value);
  });
}
