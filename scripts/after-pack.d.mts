// Types for scripts/after-pack.mjs (imported by its tests).
export interface PackNames {
  appOutDir: string;
  electronPlatformName: string;
  productFilename: string;
  executableName: string;
}
export type FuseDecision = { flip: true } | { flip: false; reason: string };
export const FUSE_SENTINEL: string;
export const MIN_ELECTRON_BYTES: number;
export function fuseBinaryPath(names: PackNames): string;
export function flipTargetPath(names: PackNames): string;
export function fuseDecision(binaryPath: string, env?: NodeJS.ProcessEnv): Promise<FuseDecision>;
export default function afterPack(context: unknown): Promise<void>;
