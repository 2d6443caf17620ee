// electron-log/main for the boot test: the file transport's settings are kept, lines go nowhere.
const transport = () => ({ level: 'info', format: '{text}' });
const log = {
  transports: { file: transport(), console: transport() },
  error() {},
  warn() {},
  info() {},
  debug() {},
};
export default log;
