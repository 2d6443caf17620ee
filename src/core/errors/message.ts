// The one way the worker turns a caught value into text for a person: an Error's message, or,
// when that is empty, its name ("TypeError") rather than nothing; anything else as String() has
// it. Secrets are not this module's business: callers redact where the text leaves the process.

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || String(error);
  return String(error);
}
