// `node --import ./test/main/boot/register.mjs dist/main/index.js`: installs hooks.mjs.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
