/** The error's class and message, as safe to print (ldapts messages carry the server's text, never our password). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
