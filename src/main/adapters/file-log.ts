// The desktop log file over electron-log: main.log in the OS's log folder for this app, rotated
// at 5 MB keeping five old files, each line as the worker formatted it.
import path from 'node:path';
import { app } from 'electron';
import log from 'electron-log/main';
import { rotateLogFiles } from '../logging/file-log.js';
import type { FileLogPort } from '../ports.js';

const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function createElectronFileLog(): FileLogPort {
  const dir = app.getPath('logs');
  const file = log.transports.file;
  file.resolvePathFn = () => path.join(dir, 'main.log');
  file.maxSize = MAX_LOG_BYTES;
  file.archiveLogFn = (oldFile) => rotateLogFiles(oldFile.path);
  // Lines arrive formatted (timestamp, level, category): write them as they are.
  file.format = '{text}';
  log.transports.console.format = '{text}';
  return {
    dir,
    setLevel: (level) => {
      file.level = level;
      log.transports.console.level = level;
    },
    write: (level, line) => log[level](line),
  };
}
