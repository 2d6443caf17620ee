// electron-builder's afterPack hook: flips Electron's fuses in the packed binary before it is
// signed. RunAsNode and NODE_OPTIONS off (the app cannot be turned into a plain Node runtime),
// the app only loads from app.asar, and the asar's integrity is validated at start-up.
// A packaging smoke test packs a stub instead of Electron (`-c.electronDist=<stub dir>`): that
// binary has no fuse wire, so the hook says so and skips it rather than failing the build. Set
// STUDIO_WORKER_SKIP_FUSES=1 to skip on purpose.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';

/** The marker @electron/fuses looks for in an Electron binary: the fuse wire follows it. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Real Electron binaries (or macOS frameworks) are far bigger than this. */
export const MIN_ELECTRON_BYTES = 1024 * 1024;
/** builder-util's Arch.arm64. */
const ARCH_ARM64 = 3;

/** The file that carries the fuse wire in a packed app, per platform. */
export function fuseBinaryPath({
  appOutDir,
  electronPlatformName,
  productFilename,
  executableName,
}) {
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(
        appOutDir,
        `${productFilename}.app`,
        'Contents',
        'Frameworks',
        'Electron Framework.framework',
        'Electron Framework',
      );
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    default:
      return path.join(appOutDir, executableName);
  }
}

/** The path @electron/fuses' flipFuses takes: the .app on macOS, the executable elsewhere. */
export function flipTargetPath({
  appOutDir,
  electronPlatformName,
  productFilename,
  executableName,
}) {
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${productFilename}.app`);
  }
  return electronPlatformName === 'win32'
    ? path.join(appOutDir, `${productFilename}.exe`)
    : path.join(appOutDir, executableName);
}

/** Whether `file` contains `needle`, read in chunks (an Electron binary is ~200 MB). */
async function fileContains(file, needle) {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.alloc(4 * 1024 * 1024);
    const overlap = needle.length - 1;
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return false;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (window.includes(needle)) return true;
      carry = window.subarray(Math.max(0, window.length - overlap));
    }
  } finally {
    await handle.close();
  }
}

/**
 * Decides whether to flip the fuses of `binaryPath`: { flip: true } for a real Electron binary,
 * { flip: false, reason } otherwise (skipped on purpose, missing, too small, no fuse wire).
 */
export async function fuseDecision(binaryPath, env = process.env) {
  if (env.STUDIO_WORKER_SKIP_FUSES === '1') {
    return { flip: false, reason: 'STUDIO_WORKER_SKIP_FUSES=1' };
  }
  let size;
  try {
    size = (await stat(binaryPath)).size;
  } catch {
    return { flip: false, reason: `no Electron binary at ${binaryPath}` };
  }
  if (size < MIN_ELECTRON_BYTES) {
    return { flip: false, reason: `${binaryPath} is ${size} bytes: not a real Electron binary` };
  }
  if (!(await fileContains(binaryPath, Buffer.from(FUSE_SENTINEL)))) {
    return { flip: false, reason: `${binaryPath} has no fuse wire: not a real Electron binary` };
  }
  return { flip: true };
}

export default async function afterPack(context) {
  const names = {
    appOutDir: context.appOutDir,
    electronPlatformName: context.electronPlatformName,
    productFilename: context.packager.appInfo.productFilename,
    executableName: context.packager.executableName ?? context.packager.appInfo.productFilename,
  };
  const decision = await fuseDecision(fuseBinaryPath(names));
  if (!decision.flip) {
    console.log(`  • after-pack: skipping Electron fuses (${decision.reason})`);
    return;
  }
  const { flipFuses, FuseVersion, FuseV1Options } = await import('@electron/fuses');
  const target = flipTargetPath(names);
  await flipFuses(target, {
    version: FuseVersion.V1,
    // An arm64 macOS binary must stay ad-hoc signed until electron-builder signs it for real.
    resetAdHocDarwinSignature:
      context.electronPlatformName === 'darwin' && context.arch === ARCH_ARM64,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  });
  console.log(`  • after-pack: flipped Electron fuses in ${target}`);
}
