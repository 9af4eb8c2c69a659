#!/usr/bin/env node
// `npm run demo`: installs what is missing, then `argus demo` (arguments pass through: `npm run demo -- --rate
// 200`) — stack up, services up, the simulated world trained on, loaded and replayed, what was caught, the cases
// in the console. Leaves stack and services running to explore; `npx argus services down && npx argus stack
// down` stops them.
import { argus, ensureDependencies, run } from './bootstrap.mjs';

ensureDependencies();
process.exit(run(...argus('demo', ...process.argv.slice(2))));
