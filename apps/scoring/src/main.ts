import './telemetry';
import { createLogger } from '@argus/logger';
import { bootstrapService } from '@argus/service-kit';
import { loadScoringConfig } from './scoring.config';
import { ScoringModule } from './scoring.module';

const config = loadScoringConfig();
const logger = createLogger({ service: 'scoring', level: config.logLevel });
void bootstrapService({
  module: ScoringModule.withConfig(config, logger),
  logger,
  http: { host: config.httpHost, port: config.httpPort },
});
