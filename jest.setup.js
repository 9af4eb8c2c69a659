// Tests run in UTC so that dates and windows never depend on the machine's zone.
process.env.TZ = 'UTC';
require('reflect-metadata');
