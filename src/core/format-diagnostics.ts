import type { Diagnostic } from './diagnostics.js';

/**
 * `path:line:column: severity CODE: message`, then the source line and a caret under the column.
 * `sourceLine` returns the 1-based line of a file, or undefined when it is not known.
 */
export function formatDiagnosticText(
  d: Diagnostic,
  sourceLine?: (file: string, line: number) => string | undefined,
): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
  const text = sourceLine?.(d.file, d.line);
  if (text === undefined) return head;
  const shown = printable(text);
  const caretAt = Math.max(0, Math.min(d.column - 1, shown.length));
  // Tabs keep their width in the caret line so the caret stays under the right character.
  const pad = shown.slice(0, caretAt).replace(/[^\t]/g, ' ');
  return `${head}\n    ${shown}\n    ${pad}^`;
}

/** GitHub Actions workflow command: shows the diagnostic as an annotation on the file. */
export function formatDiagnosticGithub(d: Diagnostic): string {
  const command = d.severity === 'error' ? 'error' : 'warning';
  const props = `file=${escapeProperty(d.file)},line=${d.line},col=${d.column},title=${escapeProperty(d.code)}`;
  return `::${command} ${props}::${escapeData(d.message)}`;
}

export function formatSummary(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  if (diagnostics.length === 0) return `${files} checked: no problems`;
  return `${files} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

// Lines shown to a terminal must not carry control characters from hostile files.
function printable(text: string): string {
  return text.length > 300
    ? `${text.slice(0, 300).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?')}…`
    : text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
