// Node types a response header as string | string[] (repeated headers); the worker reads the
// first value of the ones it uses (content-type, content-length).

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
