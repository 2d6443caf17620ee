// Demo progress: a redrawn bar on a terminal, one plain line per change otherwise.

export function progressBar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export function createProgress(opts: {
  total: number;
  isTty: boolean;
  write: (text: string) => void;
}) {
  let last = -1;
  return {
    update(done: number, failed: number, note: string) {
      if (done === last) return;
      last = done;
      const line = `${progressBar(done, opts.total)} jobs done${failed ? `, ${failed} failed` : ''}${note ? ` — ${note}` : ''}`;
      opts.write(opts.isTty ? `\r\x1b[2K${line}` : `${line}\n`);
    },
    end() {
      if (opts.isTty) opts.write('\n');
    },
  };
}
