// Types for scripts/release-feed.mjs (imported by its tests).
export interface FeedOptions {
  version: string;
  channel?: string;
  staging?: number;
  releaseDate?: string;
}
export function feedFor(file: string, channel?: string): string | null;
export function sha512File(file: string): Promise<string>;
export function parseStaging(value: string | undefined): number;
export function buildFeeds(dir: string, opts: FeedOptions): Promise<Record<string, string>>;
export function parseArgs(argv: string[]): Partial<FeedOptions> & { dir: string };
export function main(argv: string[]): Promise<void>;
