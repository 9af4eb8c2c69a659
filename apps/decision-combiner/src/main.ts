import './telemetry';
import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { loadCombinerConfig } from './combiner.config';
import { CombinerModule } from './combiner.module';

const config = loadCombinerConfig();
const logger = createLogger({ service: 'decision-combiner', level: config.logLevel });
void bootstrapService({
  module: CombinerModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
});
