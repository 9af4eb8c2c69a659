#!/usr/bin/env node
// `npm run demo`: installs what is missing, then `argus demo` — stack up, services up, stream the Sparkov
// sample, print decisions by outcome and end-to-end latency. Leaves stack and services running to explore;
// `npx argus services down && npx argus stack down` stops them.
import { argus, ensureDependencies, run } from './bootstrap.mjs';

ensureDependencies();
process.exit(run(...argus('demo', ...process.argv.slice(2))));
