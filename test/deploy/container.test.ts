// deploy/container/Dockerfile: no base image can be pulled here, so the image is not built; the
// Dockerfile is linted (dockerfile-utils) and checked for what the fleet relies on.
import { describe, expect, it } from 'vitest';
import { validate } from 'dockerfile-utils';
import { deployText } from './helpers.js';

const ALL_AS_ERRORS = {
  deprecatedMaintainer: 1,
  directiveCasing: 1,
  emptyContinuationLine: 1,
  instructionCasing: 1,
  instructionCmdMultiple: 1,
  instructionEntrypointMultiple: 1,
  instructionHealthcheckMultiple: 1,
  instructionJSONInSingleQuotes: 1,
  instructionWorkdirRelative: 1,
} as const;

const dockerfile = deployText('container/Dockerfile');
/** The instructions of the final (run) stage. */
const runStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

describe('container image', () => {
  it('the Dockerfile passes the dockerfile-utils linter with every rule as an error', () => {
    expect(validate(dockerfile, ALL_AS_ERRORS)).toEqual([]);
  });

  it('the linter check is real: a broken Dockerfile is refused', () => {
    const broken = `${dockerfile}\nHEALTHCHECK CMD true\nWORKDIR relative/path\nEXPOSE not-a-port\n`;
    expect(validate(broken, ALL_AS_ERRORS).length).toBeGreaterThan(0);
  });

  it('builds in stages and runs production dependencies only, as a non-root user', () => {
    expect(dockerfile).toMatch(/FROM node:\$\{NODE_VERSION\}-bookworm AS build/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runStage).toMatch(/^FROM \$\{CUDA_BASE\} AS run/m);
    expect(dockerfile).toMatch(/ARG CUDA_BASE=nvidia\/cuda:13\.\d+\.\d+-runtime-/);
    expect(runStage).toMatch(/COPY --from=deps \/src\/node_modules/);
    expect(runStage).toMatch(/^USER 10001:10001$/m);
  });

  it('stops with SIGTERM, checks /healthz, carries OCI labels and keeps state on a volume', () => {
    expect(runStage).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(runStage).toMatch(/^HEALTHCHECK .*\n\s+CMD .*127\.0\.0\.1:9464\/healthz/m);
    for (const label of ['title', 'description', 'licenses', 'source']) {
      expect(runStage).toContain(`org.opencontainers.image.${label}=`);
    }
    expect(runStage).toMatch(/STUDIO_WORKER_STATE_DIR=\/var\/lib\/studio-worker/);
    expect(runStage).toMatch(/^VOLUME \["\/var\/lib\/studio-worker"\]$/m);
    expect(runStage).toMatch(/STUDIO_WORKER_METRICS_LISTEN=0\.0\.0\.0:9464/);
  });
});
